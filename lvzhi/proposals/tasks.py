"""Background work of the proposals app, through Django's tasks interface."""

from __future__ import annotations

from django_tasks import task

from lvzhi.proposals import reminders
from lvzhi.proposals.services import today


@task()
def send_reminders() -> dict:
    report = reminders.run(today())
    return {"sent": report.sent, "dropped_cosigners": report.dropped_cosigners}
