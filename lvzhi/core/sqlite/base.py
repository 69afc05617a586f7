"""Django's SQLite backend with a first-come writer queue across worker processes.

Every transaction begins IMMEDIATE, so it takes SQLite's one write lock at BEGIN. A
transaction that finds the lock taken waits in SQLite's busy handler, which sleeps in
growing steps (1, 2, 5, 10 … 100 ms) and lets a newcomer overtake a sleeper: under load
that added 100–350 ms to one write in twenty. Here a transaction first takes an exclusive
`flock` on a file beside the database; the kernel wakes the next waiter the moment the
holder commits, and SQLite's own lock is then free.

A write statement outside a transaction (autocommit: the database cache's deletes, an
`update()` not in `atomic`) is its own transaction: it queues the same way for its one
statement, or it would meet the busy handler's sleeps behind the queue's steady stream.

Commits never checkpoint the log here: a thread does, after them (checkpoints.py).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import sqlite3

from django.db.backends.sqlite3 import base

from lvzhi.core.sqlite import checkpoints

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


class QueuedCursor(base.SQLiteCursorWrapper):
    wrapper: DatabaseWrapper | None = None

    def execute(self, query, params=None):
        with self._turn(query):
            return super().execute(query, params)

    def executemany(self, query, param_list):
        with self._turn(query):
            return super().executemany(query, param_list)

    def _turn(self, query: str) -> contextlib.AbstractContextManager:
        db = self.wrapper
        if db is None or db._queue_fd is None or db._queued or db.in_atomic_block \
                or not WRITE.match(query):
            return contextlib.nullcontext()
        return db.statement_turn()


class DatabaseWrapper(base.DatabaseWrapper):
    _queue_fd: int | None = None
    _queued = False

    def get_new_connection(self, conn_params):
        connection = super().get_new_connection(conn_params)
        if not self.is_in_memory_db():
            # One descriptor per connection: flock is held per open file, so threads of
            # one process must not share it.
            self._queue_fd = os.open(f"{self.settings_dict['NAME']}.writers",
                                     os.O_RDWR | os.O_CREAT, 0o600)
            connection.execute("PRAGMA wal_autocheckpoint = 0")
        return connection

    def create_cursor(self, name=None):
        cursor = self.connection.cursor(factory=QueuedCursor)
        cursor.wrapper = self
        return cursor

    @contextlib.contextmanager
    def statement_turn(self):
        """The queue held for one autocommitted write statement."""
        fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
        self._queued = True
        try:
            yield
        finally:
            self._leave_queue()
        checkpoints.committed(str(self.settings_dict["NAME"]))

    def _start_transaction_under_autocommit(self):
        if self._queue_fd is not None:
            fcntl.flock(self._queue_fd, fcntl.LOCK_EX)
            self._queued = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._leave_queue()
            raise

    def _commit(self):
        try:
            super()._commit()
        finally:
            self._leave_queue()
        if self._queue_fd is not None:
            checkpoints.committed(str(self.settings_dict["NAME"]))

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._leave_queue()

    def _close(self):
        try:
            if self.connection is not None and not self.is_in_memory_db():
                # What SQLite advises before closing: refresh the planner's statistics of
                # the tables this connection queried, if they are stale (cheap otherwise).
                # It may need the write lock: if another process holds it, skip at once
                # (no busy wait) — the next connection to close will do it; closing must
                # never fail or wait.
                with contextlib.suppress(sqlite3.Error):
                    self.connection.execute("PRAGMA busy_timeout = 0")
                    self.connection.execute("PRAGMA optimize")
            return super()._close()
        finally:
            self._leave_queue()
            if self._queue_fd is not None:
                os.close(self._queue_fd)
                self._queue_fd = None

    def _leave_queue(self) -> None:
        if self._queued:
            self._queued = False
            fcntl.flock(self._queue_fd, fcntl.LOCK_UN)
