"""One member's duty record for a year, as the pages, the PDF and the API show it: the
result (points by category, what the caps cut, obligations, grade, rank), every fact with
its points and source, declared duties and corrections, and the other years."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from lvzhi.core.models import Member
from lvzhi.duties import kinds, services
from lvzhi.duties.models import (
    Correction,
    Declaration,
    DutyFact,
    EvaluationYear,
    MemberEvaluation,
    RuleSet,
)


@dataclass
class FactLine:
    fact: DutyFact
    label: str
    title: str
    points: float
    url: str
    withdrawn: bool


@dataclass
class CategoryBlock:
    code: str
    label: str
    points: float = 0
    cut: float = 0
    penalty: float = 0
    cap: Any = None
    lines: list[FactLine] = field(default_factory=list)


@dataclass
class Record:
    seat: Member
    year: int
    rules: RuleSet
    state: EvaluationYear
    result: MemberEvaluation | None
    categories: list[CategoryBlock]
    obligations: list[tuple[str, bool]]
    declarations: list[Declaration]
    corrections: list[Correction]
    years: list[MemberEvaluation]
    window: tuple[datetime.date, datetime.date]

    @property
    def can_correct(self) -> bool:
        s = self.state
        return s.state == EvaluationYear.State.CORRECTING and (
            s.corrections_until is None or timezone.localdate() <= s.corrections_until)


def current_year(seat: Member) -> int:
    return services.year_of(seat.body_id, timezone.localdate())


def build(seat: Member, year: int) -> Record:
    rules = services.rules_for(seat.body_id, year)
    state = services.year_state(seat.body_id, year)
    if not state.frozen and not MemberEvaluation.objects.filter(member=seat, year=year).exists():
        services.recompute(seat.body_id, year)  # a first look before any fact changed
    result = MemberEvaluation.objects.filter(member=seat, year=year).first()
    start, end = services.window(rules)
    facts = list(DutyFact.objects.filter(member=seat, occurred_on__range=(start, end))
                 .prefetch_related("source").order_by("occurred_on", "id"))
    blocks = {code: CategoryBlock(code, str(label), cap=rules.caps.get(code))
              for code, label in kinds.CATEGORIES.items()}
    for cat, figures in (result.categories if result else {}).items():
        block = blocks.get(cat)
        if block:
            block.points, block.cut = figures["points"], figures["cut"]
            block.penalty = figures.get("penalty", 0)
    for fact in facts:
        block = blocks[kinds.category(fact.kind)]
        points = fact.data.get("points", 0) if fact.kind == "correction" \
            else rules.points.get(fact.kind, 0)
        source = fact.source
        block.lines.append(FactLine(
            fact, kinds.label(fact.kind), fact.data.get("title", ""), float(points),
            source.get_absolute_url() if hasattr(source, "get_absolute_url") else "",
            fact.withdrawn_at is not None))
    counts: dict[str, int] = {}
    for fact in facts:
        if fact.withdrawn_at is None:
            counts[fact.kind] = counts.get(fact.kind, 0) + 1
    obligations = [(ob["label"], sum(counts.get(k, 0) for k in ob["kinds"])
                    >= int(ob.get("count", 1))) for ob in rules.obligations]
    return Record(
        seat, year, rules, state, result,
        [b for b in blocks.values() if b.lines or b.points],
        obligations,
        list(Declaration.objects.filter(member=seat).order_by("-occurred_on")[:50]),
        list(Correction.objects.filter(member=seat, year=year)),
        list(MemberEvaluation.objects.filter(member=seat).exclude(year=year)
             .order_by("-year")),
        (start, end))
