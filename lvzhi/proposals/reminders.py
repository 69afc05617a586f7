"""The daily reminder run (催办): before each deadline and when overdue, once per stage.

A stage is named with the deadline it concerns ("before-3:2022-10-08"), so an extension
starts fresh stages while a rerun on the same day — or two workers at once — sends nothing
twice: the Reminder row's unique constraint decides who sends. The row is written in the
same transaction as the notices (and the outbox rows that carry them by SMS or mail), so a
reminder whose sending failed is not marked sent: the run goes on with the others, then
fails, and the next run of the day (core/periodic.py) tries it again.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lvzhi.core.events import record_event
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.core.workdays import WorkCalendar
from lvzhi.proposals import notices
from lvzhi.proposals.models import Assignment, Cosigner, Proposal, Reminder
from lvzhi.proposals.services import rules_for

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    sent: list[str] = field(default_factory=list)
    dropped_cosigners: int = 0
    failed: list[str] = field(default_factory=list)


class RemindersFailed(Exception):
    pass


def run(day: datetime.date) -> RunReport:
    report = RunReport()
    calendar = WorkCalendar()
    active = Assignment.objects.filter(
        state=Assignment.State.HANDLING, proposal__state=Proposal.State.HANDLING,
    ).select_related("unit", "proposal")
    for assignment in active:
        stage = _stage(assignment, day, calendar)
        if not stage:
            continue
        try:
            with transaction.atomic():
                if _claim(assignment, stage):
                    _send(assignment, stage, day)
                    report.sent.append(f"{assignment.pk}:{stage}")
        except Exception:
            log.exception("reminder %s:%s failed", assignment.pk, stage)
            report.failed.append(f"{assignment.pk}:{stage}")
    report.dropped_cosigners = _drop_late_cosigners(day)
    if report.failed:
        raise RemindersFailed(f"{len(report.failed)} reminders not sent "
                              f"({len(report.sent)} sent): {', '.join(report.failed)}")
    return report


def _stage(a: Assignment, day: datetime.date, calendar: WorkCalendar) -> str:
    if day > a.deadline:
        return f"overdue:{a.deadline}"
    left = calendar.workdays_between(day, a.deadline)
    due = [n for n in rules_for(a.body_id).reminder_days() if left <= n]
    return f"before-{min(due)}:{a.deadline}" if due else ""


def _claim(a: Assignment, stage: str) -> bool:
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the outer one usable
            Reminder.objects.create(assignment=a, stage=stage)
    except IntegrityError:
        return False
    return True


def _send(a: Assignment, stage: str, day: datetime.date) -> None:
    p = a.proposal
    deadline = cn_date(a.deadline)
    if stage.startswith("overdue"):
        title = _("提案办理已逾期：%(title)s") % {"title": p.title}
        text = _("%(unit)s的办理期限为 %(date)s，至今未答复。") % {"unit": a.unit.name,
                                                               "date": deadline}
        notices.office(p, title, text, urgent=True)
    else:
        title = _("提案办理期限将到：%(title)s") % {"title": p.title}
        text = _("%(unit)s请于 %(date)s 前答复。") % {"unit": a.unit.name, "date": deadline}
    notices.units(p, [a.unit_id], title, text, urgent=stage.startswith("overdue"))
    record_event(p, "reminder", None, data={"assignment": a.pk, "stage": stage})


def _drop_late_cosigners(day: datetime.date) -> int:
    late = Cosigner.objects.filter(state=Cosigner.State.INVITED, proposal__cosign_deadline__lt=day)
    dropped = 0
    for row in late.select_related("proposal"):
        with transaction.atomic():
            Cosigner.objects.filter(pk=row.pk).update(state=Cosigner.State.DROPPED)
            record_event(row.proposal, "cosigner_dropped", None, data={"member": row.member_id})
        dropped += 1
    return dropped
