"""Checkpoints off the write path.

In WAL mode SQLite copies the log back into the database file (a checkpoint, with the one
fsync of synchronous=NORMAL) inside the COMMIT that takes the log past 1,000 pages. At the
bench's scale that commit took ~135 ms once in twenty writes, holding the writer queue
(base.py), so every write behind it waited too. Connections here never checkpoint on
commit (`wal_autocheckpoint=0`); one thread of each process does, at most every
`EVERY` seconds after a commit, PASSIVE: it neither waits for nor blocks readers and
writers, and the log stays as short as a second of writes.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
import time
from pathlib import Path

EVERY = 1.0  # seconds between one process's checkpoints at most

_lock = threading.Lock()
_wakers: dict[str, threading.Event] = {}
_pid = 0


def committed(path: str) -> None:
    """Note a commit to the database at `path`: its checkpoint comes within a second."""
    global _pid
    with _lock:
        if _pid != os.getpid():  # a forked worker: the parent's threads did not follow
            _wakers.clear()
            _pid = os.getpid()
        waker = _wakers.get(path)
        if waker is None:
            waker = _wakers[path] = threading.Event()
            threading.Thread(target=_run, args=(path, waker), daemon=True,
                             name="sqlite-checkpoint").start()
    waker.set()


def _run(path: str, waker: threading.Event) -> None:
    while True:
        waker.wait()
        waker.clear()
        checkpoint(path)
        time.sleep(EVERY)


def checkpoint(path: str) -> tuple[int, int, int] | None:
    """A PASSIVE checkpoint of the database at `path` on a connection of its own
    (busy, frames in the log, frames copied); None if the file is gone (a test database
    deleted) or the checkpoint failed — the next one copies what this one did not."""
    uri = f"{Path(path).absolute().as_uri()}?mode=rw"  # never create a deleted database
    with contextlib.suppress(sqlite3.Error):
        connection = sqlite3.connect(uri, uri=True, timeout=5)
        try:
            return connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        finally:
            connection.close()
    return None
