"""Background work goes through Django's tasks interface; in production on RQ workers
fed from Redis. This runs the real queue on the real Redis of this machine."""

import os

import django_rq
import pytest
import redis
from django_tasks_rq.backend import Job
from rq import SimpleWorker

from lvzhi.core.models import OutboxMessage
from lvzhi.core.notifications import Message, notify
from lvzhi.core.outbox import deliver_outbox

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def rq_queue(settings):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        if os.environ.get("CI") == "true":
            raise
        pytest.skip("Redis is not running")
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default", job_class=Job)
    queue.empty()
    yield queue
    queue.empty()


def run_worker(queue) -> None:
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)


def test_email_notification_waits_in_redis_until_a_worker_sends_it(
        world, settings, rq_queue, mailoutbox, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_CHANNELS = ["lvzhi.core.notifications.InboxChannel",
                                      "lvzhi.core.notifications.EmailChannel"]
    world.lin.email = "lin@example.org"
    world.lin.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.lin], Message(world.city.body.pk, "视察活动通知", "请于周三前报名"))
    assert rq_queue.count == 1
    assert mailoutbox == []
    run_worker(rq_queue)
    assert rq_queue.count == 0
    assert [(m.subject, m.to) for m in mailoutbox] == [("视察活动通知", ["lin@example.org"])]


def test_task_result_is_read_back_from_redis(world, rq_queue, mailoutbox):
    for n in range(2):
        OutboxMessage.objects.create(body=world.city.body, recipients=["a@example.org"],
                                     subject=f"主题{n}")
    result = deliver_outbox.enqueue()
    run_worker(rq_queue)
    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == 2


def test_with_redis_down_an_action_succeeds_and_its_mail_waits_in_the_outbox(
        login, world, settings, mailoutbox, caplog, django_capture_on_commit_callbacks):
    """TASKS_BACKEND=rq with Redis unreachable: the action answers success once, the mail
    is kept, and the scheduled delivery sends it when things are back."""
    from lvzhi.proposals.tests.conftest import DRAFT
    from lvzhi.proposals.workflow import perform, save_draft
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 5}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": ["default"]}}
    settings.NOTIFICATION_CHANNELS = ["lvzhi.core.notifications.InboxChannel",
                                      "lvzhi.core.notifications.EmailChannel"]
    world.lin.email = "lin@example.org"
    world.lin.save()
    p = perform(save_draft(world.lin.memberships.get(), world.lin, dict(DRAFT)), "submit",
                world.lin)
    with django_capture_on_commit_callbacks(execute=True):
        response = login(world.zhou).post(f"/proposals/{p.pk}/act/file/")
    assert response.status_code == 302  # committed, and said so
    waiting = OutboxMessage.objects.get()
    assert waiting.sent_at is None and waiting.recipients == ["lin@example.org"]
    assert "could not queue delivery" in caplog.text
    assert mailoutbox == []
    from django.core.management import call_command
    call_command("deliver_outbox")
    waiting.refresh_from_db()
    assert waiting.sent_at is not None
    assert [m.to for m in mailoutbox] == [["lin@example.org"]]
