"""Background work of the proposals app, through Django's tasks interface."""

from __future__ import annotations

from django_tasks import task

from lvzhi.proposals import reminders
from lvzhi.proposals.services import today


@task()
def send_reminders() -> dict:
    report = reminders.run(today())
    return {"sent": report.sent, "dropped_cosigners": report.dropped_cosigners}


@task()
def train_unit_model(body_id: int) -> dict:
    from lvzhi.proposals import units

    return {"body": body_id, "examples": units.train(body_id)}
