"""The office's figures: counts by state, 办复率, 按期办复率, 满意率, A-category share,
per unit, sector and category."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from lvzhi.proposals.models import Assignment, Evaluation, Proposal, Reply
from lvzhi.search.keywords import split_keywords

TOP_KEYWORDS = 20


@dataclass
class Rates:
    assigned: int = 0
    replied: int = 0
    on_time: int = 0
    evaluated: int = 0
    satisfied: int = 0
    replies: int = 0
    category_a: int = 0

    @staticmethod
    def pct(part: int, whole: int) -> str:
        return f"{part * 100 / whole:.1f}%" if whole else "—"

    @property
    def reply_rate(self) -> str:
        return self.pct(self.replied, self.assigned)

    @property
    def on_time_rate(self) -> str:
        return self.pct(self.on_time, self.assigned)

    @property
    def satisfaction(self) -> str:
        return self.pct(self.satisfied, self.evaluated)

    @property
    def a_share(self) -> str:
        return self.pct(self.category_a, self.replies)


@dataclass
class Figures:
    total: int
    by_state: list[tuple[str, int]]
    overall: Rates
    by_unit: dict[str, Rates] = field(default_factory=dict)
    by_sector: dict[str, Rates] = field(default_factory=dict)
    by_category: dict[str, Rates] = field(default_factory=dict)
    keywords: list[tuple[str, int]] = field(default_factory=list)  # the most frequent


def compute(rows: QuerySet[Proposal], today: datetime.date) -> Figures:
    """A fixed handful of queries, whatever the number of proposals."""
    ids = rows.values("pk")
    states = Counter(rows.values_list("state", flat=True))
    meta, words = {}, Counter()
    for pk, sector, category, keywords in Proposal.objects.filter(pk__in=ids).values_list(
            "pk", "proposer__sector__name", "category", "keywords"):
        meta[pk] = (sector, category)
        words.update(split_keywords(keywords))
    overall = Rates()
    groups: dict[str, dict[str, Rates]] = {"unit": defaultdict(Rates),
                                           "sector": defaultdict(Rates),
                                           "category": defaultdict(Rates)}
    labels = dict(Proposal.Category.choices)
    assignments = Assignment.objects.filter(proposal_id__in=ids).exclude(
        role=Assignment.Role.CO).exclude(state=Assignment.State.RETURNED)
    units_of: dict[int, set[str]] = defaultdict(set)  # the units that answer for each
    for proposal_id, unit, replied_on, deadline in assignments.values_list(
            "proposal_id", "unit__name", "replied_on", "deadline"):
        units_of[proposal_id].add(unit)
        sector, category = meta[proposal_id]
        for rates in (overall, groups["unit"][unit], groups["sector"][sector],
                      groups["category"][str(labels[category])]):
            rates.assigned += 1
            rates.replied += replied_on is not None
            rates.on_time += replied_on is not None and replied_on <= deadline
    for proposal_id, category_code, unit in Reply.objects.filter(
            assignment__proposal_id__in=ids, state=Reply.State.ACCEPTED).values_list(
            "assignment__proposal_id", "category", "assignment__unit__name"):
        sector, category = meta[proposal_id]
        for rates in (overall, groups["unit"][unit], groups["sector"][sector],
                      groups["category"][str(labels[category])]):
            rates.replies += 1
            rates.category_a += category_code == "A"
    lead_evals = Evaluation.objects.filter(proposal_id__in=ids).values_list(
        "proposal_id", "rating", "member_id", "proposal__proposer_id")
    for proposal_id, rating, member_id, proposer_id in lead_evals:
        if member_id != proposer_id:
            continue
        sector, category = meta[proposal_id]
        # The proposer rates the handling: it counts for every unit that replied to it.
        for rates in (overall, groups["sector"][sector], groups["category"][str(labels[category])],
                      *(groups["unit"][u] for u in sorted(units_of[proposal_id]))):
            rates.evaluated += 1
            rates.satisfied += rating != Evaluation.Rating.UNSATISFIED
    return Figures(
        total=sum(states.values()),
        by_state=[(str(label), states.get(value, 0)) for value, label in Proposal.State.choices],
        overall=overall, by_unit=dict(sorted(groups["unit"].items())),
        by_sector=dict(groups["sector"]), by_category=dict(groups["category"]),
        keywords=words.most_common(TOP_KEYWORDS))
