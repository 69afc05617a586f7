"""The daily reminder run for milestones (scheduled beside the proposals' reminders)."""

from django_tasks import task

from lvzhi.ledgers import services


@task()
def daily_milestone_reminders() -> int:
    return services.remind()
