"""Who sees and acts on tasks, how a task stands against its milestones, and the daily
reminders."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import plain
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.events import record_event
from lvzhi.core.models import Role, RoleKind, User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.core.workdays import WorkCalendar
from lvzhi.ledgers.models import Ledger, LedgerRules, Milestone, ProgressReport, Task

ON_TIME, BEHIND = "on_time", "behind"
STATUS_LABELS = {ON_TIME: gettext_lazy("按计划推进"), BEHIND: gettext_lazy("滞后"),
                 Task.State.DONE: gettext_lazy("已完成"),
                 Task.State.CANCELLED: gettext_lazy("已取消")}


def rules_for(body_id: int) -> LedgerRules:
    return plain.get_or_create(LedgerRules, body_id=body_id)


# Who checks a task besides the reviewing office: each entry maps a user to the ids of the
# tasks they check. Supervision registers its group leaders, who check and close their
# topic's rectification items (整改销号); ledgers never imports supervision.
CHECKERS: list[Callable[[Any], QuerySet]] = []


def checked_by(user: Any) -> Q:
    q = Q(pk__in=[])
    for ids in CHECKERS:
        q |= Q(pk__in=ids(user))
    return q


def checks(user: Any, task: Task) -> bool:
    """The reviewing office, or a registered checker of this task."""
    return reviews(user, reviewing_body(task)) or (
        bool(CHECKERS) and Task.objects.filter(checked_by(user), pk=task.pk).exists())


def tasks_for(user: Any) -> QuerySet:
    """Tasks of the bodies whose ledgers the user reads (staff and leaders; oversight the
    districts'), the districts' copies of what those bodies assigned them, and the tasks
    the user checks."""
    bodies = bodies_with(user, "ledgers.read_all")
    units = actor_for(user).handling_units  # a unit's handlers: its rectification items
    q = Q(body_id__in=bodies) | Q(source__body_id__in=bodies) | Q(unit_id__in=units)
    if CHECKERS and getattr(user, "is_authenticated", False):
        q |= checked_by(user)
    return Task.objects.filter(q)


def led_by(user: Any) -> Q:
    """The tasks a leader leads (牵头领导): the column names them, or the title of their
    leader role in the task's body (主席, 秘书长) exactly."""
    q = Q(pk__in=[])
    if len(user.full_name or "") >= 2:
        q |= Q(leader__contains=user.full_name)
    for body_id, title in Role.objects.filter(user=user, kind=RoleKind.LEADER).exclude(
            title="").values_list("body_id", "title"):
        q |= Q(body_id=body_id, leader=title)
    return q


def leads_any(user: Any) -> bool:
    return actor_for(user).has_role(RoleKind.LEADER)


def owns(user: Any, task: Task) -> bool:
    """Staff of the task's lead department report on it; a task a district body holds as a
    whole (from a city checklist), any of its staff."""
    actor = actor_for(user)
    if task.unit_id is not None:
        return task.unit_id in actor.handling_units
    if task.department_id is None:
        return actor.has_role(RoleKind.STAFF, task.body_id)
    return task.department_id in actor.departments.get(task.body_id, set())


def reviewing_body(task: Task) -> int:
    """The body whose office reviews the task: the city's, for a task it assigned."""
    return task.source.body_id if task.source_id else task.body_id


def reviews(user: Any, body_id: int) -> bool:
    """The reviewing office: staff of the department the rules name, or any staff."""
    actor = actor_for(user)
    if not actor.has_role(RoleKind.STAFF, body_id):
        return False
    office = rules_for(body_id).office_id
    return office is None or office in actor.departments.get(body_id, set())


def status(task: Task, today: datetime.date | None = None) -> str:
    """Done and cancelled are as the office confirmed them; an open task is behind when a
    milestone has passed with no report (not sent back) since the milestone before it."""
    return status_from(task.state, [m.due_on for m in task.milestones.all()],
                       [timezone.localdate(r.created_at) for r in task.reports.all()
                        if not r.returned], today or timezone.localdate())


def status_from(state: str, milestones: list[datetime.date], reports: list[datetime.date],
                today: datetime.date) -> str:
    """`status` from plain values: the milestones' dates in order, the reports' days."""
    if state != Task.State.OPEN:
        return state
    since = None
    for due in milestones:
        if due >= today:
            break
        if not any(since is None or day > since for day in reports):
            return BEHIND
        since = due
    return ON_TIME


def statuses(tasks: QuerySet, reported: set[int] | None = None) -> dict[int, str]:
    """Every task's status in three plain queries, however many reports there are: the
    board's counts and filters without loading a model per report. `reported`, if given,
    is filled with the tasks that have a report standing."""
    today = timezone.localdate()
    milestones: dict[int, list] = defaultdict(list)
    for task_id, due in Milestone.objects.filter(task__in=tasks).order_by(
            "due_on", "id").values_list("task_id", "due_on"):
        milestones[task_id].append(due)
    # Only the newest report counts: "a report since the milestone before" is "the newest
    # report is after it", so one row per task, not one per report.
    newest = {row["task_id"]: [timezone.localdate(row["last"])] for row in
              ProgressReport.objects.filter(task__in=tasks, returned=False)
              .values("task_id").annotate(last=Max("created_at")).order_by()}
    if reported is not None:
        reported.update(newest)
    return {pk: status_from(state, milestones[pk], newest.get(pk, []), today)
            for pk, state in tasks.values_list("pk", "state")}


def department_staff(task: Task) -> QuerySet:
    """Who carries the task out: its lead department's staff, or the district's."""
    if task.unit_id:
        rows = Role.objects.filter(kind=RoleKind.UNIT_HANDLER, handling_unit_id=task.unit_id)
        return User.objects.filter(pk__in=rows.values("user_id"))
    rows = Role.objects.filter(body_id=task.body_id, kind=RoleKind.STAFF)
    if task.department_id:
        rows = rows.filter(department_id=task.department_id)
    return User.objects.filter(pk__in=rows.values("user_id"))


def remind(today: datetime.date | None = None) -> int:
    """Before each milestone (the body's remind_days working days) and when it has passed
    unmet: each once, claimed by the row so two runs never send twice."""
    today = today or timezone.localdate()
    calendar, sent = WorkCalendar(), 0
    rows = Milestone.objects.filter(task__state=Task.State.OPEN).select_related(
        "task", "task__department")
    for m in rows.iterator():
        days = rules_for(m.task.body_id).remind_days
        soon = m.reminded_at is None and today <= m.due_on and \
            calendar.workdays_between(today, m.due_on) <= days
        late = not soon and m.overdue_sent_at is None and today > m.due_on and \
            status(m.task, today) == BEHIND
        if soon and _claim(m, "reminded_at"):
            _tell(m, _("时间节点将到：%(t)s") % {"t": m.task.title})
            sent += 1
        elif late and _claim(m, "overdue_sent_at"):
            _tell(m, _("时间节点已过、尚未报告进展：%(t)s") % {"t": m.task.title})
            sent += 1
    return sent


def _claim(m: Milestone, field: str) -> bool:
    """Whoever marks the milestone first sends; a second run finds it marked."""
    return bool(Milestone.objects.filter(pk=m.pk, **{f"{field}__isnull": True}).update(
        **{field: timezone.now()}))


def _tell(m: Milestone, title: str) -> None:
    notify(department_staff(m.task), Message(
        m.task.body_id, title, _("%(d)s：%(w)s") % {"d": cn_date(m.due_on),
                                                  "w": m.what}, m.task.get_absolute_url()))


def rectification_item(actor: User, body_id: int, title: str, unit_id: int,
                       due_on: datetime.date, what: str = "") -> Task:
    """A rectification item (整改事项) as a task of the body's 整改台账 for the year of its
    deadline, held by a handling unit; the unit's handlers are told. For democratic
    supervision, which calls it inside its own transaction."""
    ledger, _new = Ledger.objects.get_or_create(
        body_id=body_id, year=due_on.year, kind=Ledger.LedgerKind.RECTIFICATION,
        defaults={"title": _("%(y)s年整改台账") % {"y": due_on.year}})
    number = (ledger.tasks.order_by("-number").values_list("number", flat=True).first() or 0)
    task = Task.objects.create(body_id=body_id, ledger=ledger, number=number + 1,
                               title=title[:200], category=Task.Category.SUPERVISION,
                               unit_id=unit_id)
    Milestone.objects.create(task=task, due_on=due_on, what=what or _("完成整改并报告"))
    record_event(task, "created", actor)
    notify(department_staff(task), Message(
        body_id, _("整改事项：%(t)s") % {"t": task.title},
        _("请于%(d)s前完成整改并报告。") % {"d": cn_date(due_on)},
        task.get_absolute_url()))
    return task


def add_milestone(actor: User, task: Task, due_on: datetime.date, what: str) -> None:
    """One more time node on a task (the party committee's own deadline for a
    rectification item): its reminders and status follow like any other."""
    Milestone.objects.create(task=task, due_on=due_on, what=what[:200])
    record_event(task, "milestone", actor, data={"due_on": str(due_on), "what": what[:200]})
    notify(department_staff(task), Message(
        task.body_id, _("新增时间节点：%(t)s") % {"t": task.title},
        _("%(w)s，期限%(d)s。") % {"w": what, "d": cn_date(due_on)},
        task.get_absolute_url()))


def last_dues(ids: list[int]) -> dict[int, datetime.date]:
    """Each task's last milestone, for lists that show when a task is due."""
    return dict(Milestone.objects.filter(task_id__in=ids).values("task_id")
                .annotate(last=Max("due_on")).values_list("task_id", "last").order_by())


def store_ranks(rows: QuerySet) -> None:
    """Rank scored rows (a district's or a department's) by total, 1, 2, 2, 4, with the
    duty record's ranking, and save the ranks."""
    from lvzhi.duties.evaluation import ranks

    rows = list(rows)
    places = ranks([(row.pk, row.total) for row in rows])
    for row in rows:
        row.rank = places[row.pk]
    if rows:
        type(rows[0]).objects.bulk_update(rows, ["rank"])
