"""The embedded default's tasks run after the response: a request that enqueues work
returns its body first; outside a request a task runs at once; one task's failure stops
no other."""

from __future__ import annotations

import io
import json
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_started

from lvzhi.conftest import PASSWORD
from lvzhi.core import logs
from lvzhi.duties.models import MemberEvaluation
from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import save_draft

DONE: list[str] = []


@task()
def note(word: str) -> str:
    DONE.append(word)
    if word == "then":
        note.enqueue("nested")  # a held task's own task runs at once
    return word


@task()
def fail() -> None:
    raise ValueError("坏了")


@pytest.fixture(autouse=True)
def _clean():
    DONE.clear()
    yield
    DONE.clear()


def test_outside_a_request_a_task_runs_at_once():
    result = note.enqueue("now")
    assert DONE == ["now"] and result.status == TaskResultStatus.SUCCESSFUL


def test_during_a_request_tasks_wait_for_its_end_in_order_and_a_failure_stops_none():
    request_started.send(sender=None)
    try:
        first, failing, last = note.enqueue("first"), fail.enqueue(), note.enqueue("then")
        assert DONE == [] and first.status == TaskResultStatus.READY
    finally:
        request_finished.send(sender=None)
    assert DONE == ["first", "then", "nested"]
    assert (first.status, failing.status, last.status) == (
        TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL)
    assert failing.errors[0].exception_class_path == "builtins.ValueError"
    assert note.enqueue("later").status == TaskResultStatus.SUCCESSFUL  # between requests


def test_tasks_left_by_a_request_without_an_end_run_before_the_next():
    request_started.send(sender=None)
    note.enqueue("orphan")
    request_started.send(sender=None)  # the server never signalled the first one's end
    try:
        assert DONE == ["orphan"]
    finally:
        request_finished.send(sender=None)


def _call(app, method: str, path: str, body: dict | None = None, **headers):
    """As a WSGI server does: the response's body is iterated (sent), then closed."""
    data = json.dumps(body or {}).encode()
    environ = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": "testserver",
               "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": str(len(data)),
               "wsgi.input": io.BytesIO(data), **headers}
    setup_testing_defaults(environ)
    started: list = []
    response = app(environ, lambda status, headers: started.append((status, dict(headers))))
    return started[0], b"".join(response), response


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_answered_before_the_duty_result_is_worked_out(world):
    """Over the WSGI interface, with real commits: the member's answer is written before
    the recompute its new duty fact asks for starts, and the result is there after; the
    task's log lines still name the request."""
    app = get_wsgi_application()
    _started, body, response = _call(app, "POST", "/api/auth/token",
                                     {"login": "lin", "password": PASSWORD})
    response.close()
    token = json.loads(body)["token"]
    draft = save_draft(world.lin.memberships.get(), world.lin, DRAFT)
    ran: list[tuple[str, str]] = []

    def seen(sender, task_result, **kwargs):
        ran.append((task_result.task.name, logs.request_id(logs.current.get())))

    task_started.connect(seen)
    try:
        (status, headers), body, response = _call(
            app, "POST", f"/api/proposals/{draft.pk}/submit",
            HTTP_AUTHORIZATION=f"Bearer {token}")
        assert status.startswith("200") and json.loads(body)["state"] == "submitted"
        assert ran == []  # the answer is complete; nothing has run yet
        assert Proposal.objects.get(pk=draft.pk).state == "submitted"
        response.close()  # the server is done sending
    finally:
        task_started.disconnect(seen)
    assert ("recompute_members", headers["X-Request-ID"]) in ran
    assert MemberEvaluation.objects.filter(member__in=world.lin.memberships.all()).exists()
