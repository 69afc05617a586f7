"""任务交办: a city checklist sent to district bodies. Each district gets its own copy of
every item, as tasks the district body holds as a whole; the city follows them on a matrix
(districts × items) and never changes a district's own records."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event, record_events
from lvzhi.core.models import Body, User
from lvzhi.core.notifications import Message, notify
from lvzhi.ledgers import services
from lvzhi.ledgers.breakdown import CATEGORIES
from lvzhi.ledgers.models import Ledger, Milestone, Task

LINE = re.compile(r"^(.+?)\s*[|｜]\s*(\S+)\s*[|｜]\s*(\d{4}-\d{1,2}-\d{1,2})\s*$")


@dataclass
class Item:
    title: str
    category: str
    due_on: datetime.date


def parse_items(text: str, year: int) -> list[Item]:
    """One item a line: 事项 | 类别 | 截止日期 (2026-06-30), within the year."""
    items, problems = [], []
    for number, line in enumerate([x for x in (text or "").splitlines() if x.strip()], 1):
        match = LINE.match(line.strip())
        try:
            day = datetime.date.fromisoformat(
                "-".join(f"{int(p):02d}" for p in match.group(3).split("-"))) if match else None
        except ValueError:
            day = None
        if match is None or day is None or match.group(2) not in CATEGORIES:
            problems.append(_("第 %(n)s 行应为“事项 | 类别 | 截止日期”，类别为%(c)s之一") % {
                "n": number, "c": "、".join(CATEGORIES)})
        elif day.year != year:
            problems.append(_("第 %(n)s 行的截止日期不在 %(y)s 年内") % {"n": number, "y": year})
        else:
            items.append(Item(match.group(1).strip()[:200], CATEGORIES[match.group(2)], day))
    if not items and not problems:
        problems.append(_("请至少填写一项。"))
    if problems:
        refuse_fields({"items": ("bad_items", "；".join(problems))})
    return items


def assign(actor: User, city: Body, year: int, title: str, items: list[Item],
           districts: list[Body]) -> Ledger:
    if not services.reviews(actor, city.pk) or city.level != Body.Level.CITY:
        raise Refusal("forbidden", _("只有市政协的督查考评部门可以交办任务。"), status=403)
    errors = {}
    if not title.strip():
        errors["title"] = ("missing_title", _("请填写交办清单的名称。"))
    if not districts or any(d.parent_id != city.pk for d in districts):
        errors["districts"] = ("bad_districts", _("请选择所辖区县政协。"))
    refuse_fields(errors)
    with transaction.atomic():
        checklist = Ledger.objects.create(body=city, year=year, title=title.strip()[:120],
                                          kind=Ledger.LedgerKind.ASSIGNMENT)
        sources = Task.objects.bulk_create(
            Task(body=city, ledger=checklist, number=number, title=item.title,
                 category=item.category) for number, item in enumerate(items, 1))
        due = {s.pk: item.due_on for s, item in zip(sources, items, strict=True)}
        Milestone.objects.bulk_create(Milestone(task=s, due_on=due[s.pk], what=_("完成并报告"))
                                      for s in sources)
        for district in districts:
            _copy(actor, checklist, sources, district, due)
        record_event(checklist.tasks.first(), "created", actor,
                     data={"districts": [d.pk for d in districts]})
    return checklist


def _copy(actor: User, checklist: Ledger, sources: list[Task], district: Body,
          due: dict[int, datetime.date]) -> None:
    ledger = Ledger.objects.create(body=district, year=checklist.year, title=checklist.title,
                                   kind=Ledger.LedgerKind.ASSIGNMENT)
    # In bulk: a 30-item checklist to 18 districts is 540 tasks in one request.
    copies = Task.objects.bulk_create(
        Task(body=district, ledger=ledger, number=s.number, title=s.title,
             category=s.category, source=s) for s in sources)
    Milestone.objects.bulk_create(Milestone(task=c, due_on=due[s.pk], what=_("完成并报告"))
                                  for c, s in zip(copies, sources, strict=True))
    record_events(copies, "assigned", actor)
    staff = services.department_staff(Task(body=district))
    notify(staff, Message(district.pk, _("市政协交办：%(t)s") % {"t": checklist.title},
                          _("共 %(n)s 项，请按时报告进展。") % {"n": len(sources)},
                          f"{reverse('ledgers:board')}?year={checklist.year}"))


NOT_STARTED = "not_started"
CELL_LABELS = {NOT_STARTED: gettext_lazy("未报告"), services.ON_TIME: gettext_lazy("推进中"),
               services.BEHIND: gettext_lazy("逾期未报"), Task.State.DONE: gettext_lazy("已完成"),
               Task.State.CANCELLED: gettext_lazy("已取消")}


CELL_CSS = {Task.State.DONE: "text-bg-success", services.BEHIND: "text-bg-danger",
            services.ON_TIME: "text-bg-primary"}


@dataclass
class Cell:
    """One district's copy of one item, as the matrix shows it."""
    pk: int
    number: int
    cell: str
    label: str
    url: str
    css: str


def matrix(checklist: Ledger) -> tuple[list[Task], list[tuple[Body, list[Cell | None]]]]:
    """Districts × items: each cell the district's copy and its state. Plain values, not
    540 models: the matrix is the city's most-opened page in the reporting season."""
    items = list(checklist.tasks.order_by("number"))
    labels = {code: str(label) for code, label in CELL_LABELS.items()}
    base = reverse("ledgers:task", args=[0])[:-2]
    everything = Task.objects.filter(source__ledger=checklist)
    reported: set[int] = set()
    status_of = services.statuses(everything, reported)
    by_district: dict[int, dict[int, Cell]] = {}
    for pk, number, body_id, source_id in everything.values_list(
            "pk", "number", "body_id", "source_id"):
        code = status_of[pk]
        if code == services.ON_TIME and pk not in reported:
            code = NOT_STARTED
        by_district.setdefault(body_id, {})[source_id] = Cell(
            pk, number, code, labels[code], f"{base}{pk}/",
            CELL_CSS.get(code, "text-bg-light border"))
    bodies = Body.objects.filter(pk__in=by_district).order_by("order", "pk")
    return items, [(b, [by_district[b.pk].get(i.pk) for i in items]) for b in bodies]
