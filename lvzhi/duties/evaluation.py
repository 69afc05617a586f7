"""Turning a year's facts into a result, by a rule set (pure: no database).

Per category, gains are added and held to the category's cap (what the cap cut is kept, to
show); penalties (negative points) are not capped. A 100-point scheme holds the total to
0–100. A member who misses a basic obligation is graded at most 称职, whatever the total.
Corrections the office accepted adjust their category after the caps.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from lvzhi.duties import kinds
from lvzhi.duties.models import Grade

GRADES_DOWN = [Grade.EXCELLENT, Grade.GOOD, Grade.COMPETENT]
# Unexcused absences from these, twice in a year, put the seat under review.
SERIOUS_ABSENCES = ("activity_plenary_absent", "activity_standing_absent")


@dataclass
class Result:
    total: Decimal
    categories: dict[str, dict] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    grade: str = Grade.INCOMPETENT
    counts: Counter = field(default_factory=Counter)


def evaluate(facts: Iterable[tuple[str, dict]], rules) -> Result:
    """`facts`: (kind, data) of every standing fact of one member in the year."""
    counts: Counter = Counter()
    corrections = []
    for kind, data in facts:
        counts[kind] += 1
        if kind == "correction":
            corrections.append(data)
    return evaluate_counts(counts, corrections, rules)


def evaluate_counts(counts: Mapping[str, int], corrections: Iterable[dict], rules) -> Result:
    """`counts`: how many standing facts of each kind one member has in the year (its
    corrections among them); `corrections`: those corrections' data. A kind's points are
    the same for each of its facts, so the database counts and nothing is read one by one."""
    counts = Counter(counts)
    gains: dict[str, float] = defaultdict(float)
    losses: dict[str, float] = defaultdict(float)
    adjust: dict[str, float] = defaultdict(float)
    for data in corrections:
        adjust[data.get("category") or "other"] += float(data.get("points", 0))
    for kind, n in counts.items():
        if kind == "correction" or not n:
            continue
        points = float(rules.points.get(kind, 0))
        (gains if points >= 0 else losses)[kinds.category(kind)] += points * n
    categories = {}
    for cat in kinds.CATEGORIES:
        cap = rules.caps.get(cat)
        kept = min(gains[cat], float(cap)) if cap not in (None, "") else gains[cat]
        points = kept + losses[cat] + adjust[cat]
        if gains[cat] or losses[cat] or adjust[cat]:
            categories[cat] = {"points": round(points, 1), "cut": round(gains[cat] - kept, 1),
                               "penalty": round(losses[cat], 1)}
    total = sum(c["points"] for c in categories.values())
    if rules.scheme == "hundred":
        total = max(0.0, min(100.0, total))
    year_cap = rules.caps.get("total")  # a ceiling for the year, in either scheme
    if year_cap not in (None, ""):
        total = min(total, float(year_cap))
    missing = [ob["label"] for ob in rules.obligations
               if sum(counts[k] for k in ob["kinds"]) < int(ob.get("count", 1))]
    return Result(Decimal(str(round(total, 1))), categories, missing,
                  grade_for(total, rules.bands, bool(missing)), counts)


def grade_for(total: float, bands: dict, missing: bool) -> str:
    for grade in GRADES_DOWN:
        floor = bands.get(grade)
        if floor is not None and total >= float(floor):
            if missing and grade != Grade.COMPETENT:
                continue  # a basic obligation missed: at most 称职
            return grade
    return Grade.INCOMPETENT


def at_risk(result: Result, past_warning_date: bool) -> list[str]:
    """Why the member's seat is at risk, in Chinese (one reason each)."""
    reasons = []
    absences = sum(result.counts[k] for k in SERIOUS_ABSENCES)
    if absences >= 2:
        reasons.append(_("无故缺席全体会议或常委会议 %(n)s 次") % {"n": absences})
    if past_warning_date:
        reasons += [_("尚未完成：%(what)s") % {"what": label} for label in result.missing]
        if result.grade == Grade.INCOMPETENT:
            reasons.append(_("按目前得分为不称职"))
    return reasons


def ranks(totals: list[tuple[int, Decimal]]) -> dict[int, int]:
    """Standard competition ranking (1, 2, 2, 4) by total, highest first."""
    ordered = sorted(totals, key=lambda t: -t[1])
    result, last, last_rank = {}, None, 0
    for i, (key, total) in enumerate(ordered, start=1):
        if total != last:
            last, last_rank = total, i
        result[key] = last_rank
    return result
