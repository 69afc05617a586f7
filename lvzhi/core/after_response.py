"""The embedded default's task backend: tasks run in the web process, after the response.

`TASKS_BACKEND=immediate` (the one-machine setup) has no worker. A task enqueued while a
request is served — a member's duty result worked out again, mail and text messages
delivered, an export written, the suggested-unit model retrained once a day — waited
inside that request, so the person who acted waited for work that was not theirs to see
(an export's progress page could not show progress; the day's first 交办 took seconds).
Here such a task is held and run when the server has sent the response (`request_finished`,
fired by the WSGI server's `close()` once the body is written). The worker is still busy
until it is done, as a queue worker would be; what changes is who waits for it.

Outside a request (a management command, the periodic runner, a test calling a service)
a task runs at once, as Django's immediate backend runs it: `enqueue` returns it finished.
"""

from __future__ import annotations

import contextvars
import threading
from typing import Any

from django.core.signals import request_finished, request_started
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

# Per thread: the tasks held for the request this thread serves; None between requests.
_state = threading.local()


def _held() -> list[tuple[ImmediateBackend, TaskResult, contextvars.Context]] | None:
    return getattr(_state, "held", None)


class AfterResponseBackend(ImmediateBackend):
    """Django's immediate backend, but a task enqueued during a request waits for its end."""

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        held = _held()
        if held is None:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result = TaskResult(task=task, id=get_random_id(), status=TaskResultStatus.READY,
                            enqueued_at=None, started_at=None, last_attempted_at=None,
                            finished_at=None, args=args, kwargs=kwargs, backend=self.alias,
                            errors=[], worker_ids=[])
        # Its log lines name the request that asked for it, as when it ran inside it.
        held.append((self, result, contextvars.copy_context()))
        return result


def run_held() -> int:
    """Run the tasks held for this thread's request, in the order they were enqueued (a
    task they enqueue runs at once); how many ran. A task's failure is recorded on its
    result and logged by django-tasks, and never stops the others."""
    held = _held()
    _state.held = None
    for backend, result, context in held or ():
        context.run(backend._execute_task, result)
    return len(held or ())


def _hold(**_kwargs: Any) -> None:
    run_held()  # left over from a request whose end was never signalled
    _state.held = []


def _run(**_kwargs: Any) -> None:
    run_held()


def connect() -> None:
    """From CoreConfig.ready: before the first request, whatever backend is configured
    (tests switch backends; holding an empty list costs nothing)."""
    request_started.connect(_hold, dispatch_uid="lvzhi-tasks-held")
    request_finished.connect(_run, dispatch_uid="lvzhi-tasks-run")
