"""A body's figures for a year (立案提案数, 办复率, 采用信息数, 活动次数, 出勤率 …), for the
city's evaluation of its districts. `core` knows no feature: each app registers the figures
it can count in its AppConfig.ready, and readers ask for them by code."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Figure:
    code: str
    label: Any
    unit: Any
    count: Callable[[int, int], float]  # (body id, year) -> the figure


FIGURES: dict[str, Figure] = {}


def register(code: str, label: Any, unit: Any, count: Callable[[int, int], float]) -> None:
    FIGURES[code] = Figure(code, label, unit, count)


def figures_of(body_id: int, year: int, codes: list[str] | None = None) -> dict[str, float]:
    """The named figures (all by default) of one body and year, rounded to one decimal."""
    wanted = [c for c in (codes if codes is not None else FIGURES) if c in FIGURES]
    return {c: round(float(FIGURES[c].count(body_id, year)), 1) for c in wanted}


def rate(part: int, whole: int) -> float:
    """A percentage, 0 when there is nothing to count."""
    return 100.0 * part / whole if whole else 0.0
