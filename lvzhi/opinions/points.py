"""Points and the periodic bulletin (通报): who reported how much, and what came of it.

Points are computed from the reports themselves — their adoption, every level's adoption
and every instruction — so a corrected outcome corrects the ranking. Each original report
credits its reporter; a combined report credits each of its sources' reporters; a report
forwarded up credits the reporter of the original. The yearly cap applies per person.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from lvzhi.core.models import Body
from lvzhi.opinions.models import Forward, Instruction, Level, PointsTable, Report

S = Report.State
ADOPTED = (S.ADOPTED, S.PUBLISHED)


def table_for(body: Body | int, year: int) -> PointsTable:
    body_id = body if isinstance(body, int) else body.pk
    table, _ = PointsTable.objects.get_or_create(body_id=body_id, year=year)
    return table


@dataclass
class Line:
    key: str
    name: str
    sector: str = ""
    unit: str = ""
    submitted: int = 0
    adopted: int = 0
    raw: float = 0
    points: float = 0
    detail: list[str] = field(default_factory=list)


def period(year: int, month: int | None = None, quarter: int | None = None
           ) -> tuple[datetime.date, datetime.date]:
    if month:
        start = datetime.date(year, month, 1)
        end = datetime.date(year + (month == 12), month % 12 + 1, 1)
    elif quarter:
        start = datetime.date(year, 3 * quarter - 2, 1)
        end = datetime.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1)
    else:
        start, end = datetime.date(year, 1, 1), datetime.date(year + 1, 1, 1)
    return start, end


def ranking(body: Body, start: datetime.date, end: datetime.date) -> list[Line]:
    """Reporters of `body`, by points then count, for reports submitted in [start, end)."""
    table = table_for(body, start.year)
    reports = Report.objects.filter(
        body=body, forwarded_from__isnull=True, is_combined=False,
        submitted_at__date__gte=start, submitted_at__date__lt=end,
    ).exclude(reporter__isnull=True).select_related("reporter", "member__sector").prefetch_related(
        Prefetch("forwards", queryset=Forward.objects.all()),
        Prefetch("instructions", queryset=Instruction.objects.all()),
        Prefetch("forwarded_copies", queryset=Report.objects.prefetch_related(
            "instructions", "forwards")),
        Prefetch("combined_in", queryset=Report.objects.prefetch_related("instructions")))
    lines: dict[int, Line] = {}
    for r in reports:
        line = lines.setdefault(r.reporter_id, Line(
            key=str(r.reporter_id), name=r.reporter.full_name,
            sector=r.member.sector.name if r.member_id else _("信息员"), unit=r.affiliation))
        line.submitted += 1
        earned = _earned(r, table)
        line.adopted += r.state in ADOPTED
        line.raw += earned
    for line in lines.values():
        line.points = min(line.raw, table.yearly_cap)
    return sorted(lines.values(), key=lambda x: (-x.points, -x.submitted, x.name))


def _earned(r: Report, t: PointsTable) -> float:
    points = t.submitted
    if r.state in ADOPTED:
        points += t.adopted_combined if r.adopted_as == Report.AdoptedAs.COMBINED \
            else t.adopted_single
    instructions = list(r.instructions.all())
    forwards = list(r.forwards.all())
    for copy in r.forwarded_copies.all():
        if copy.state in ADOPTED:
            points += t.adopted_city
        instructions += list(copy.instructions.all())
        forwards += list(copy.forwards.all())
    for combined in r.combined_in.all():
        instructions += list(combined.instructions.all())
    for f in forwards:
        if f.adopted and f.level in (Level.PROVINCE, Level.NATIONAL):
            points += getattr(t, f"adopted_{f.level}")
    for i in instructions:
        points += getattr(t, f"instruction_{i.level}")
    return points


def grouped(lines: list[Line], attribute: str) -> list[Line]:
    """Sum reporters' lines by sector or unit for the bulletin's second and third tables."""
    groups: dict[str, Line] = defaultdict(lambda: Line(key="", name=""))
    for line in lines:
        name = getattr(line, attribute) or "—"
        group = groups[name]
        group.key = group.name = name
        group.submitted += line.submitted
        group.adopted += line.adopted
        group.points += line.points
    return sorted(groups.values(), key=lambda x: (-x.points, -x.submitted, x.name))
