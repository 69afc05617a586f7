"""The filters beside the results: each filter's values among the matches the person may
see, with how many there are — so a filter never offers what would find nothing, and never
names what the person may not see."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.utils.translation import gettext as _

from lvzhi.core.forms import kept_options
from lvzhi.core.models import Body, Sector, Session

TOP_KEYWORDS = 12


def of(rows: list[Any]) -> dict[str, list[tuple[Any, str, int]]]:
    """{filter: [(value, label, count), …]} for body, year, session, state, category,
    sector and keyword that has any."""
    out = {
        "body": _named(Counter(r.body for r in rows), Body),
        "year": [(y, _("%(y)s年") % {"y": y}, n)
                 for y, n in sorted(Counter(r.year for r in rows if r.year).items(),
                                    reverse=True)],
        "session": _named(Counter(r.session for r in rows if r.session), Session,
                          related=("term",)),
        "state": _plain(Counter(r.state for r in rows if r.state)),
        "category": _plain(Counter(r.category for r in rows if r.category)),
        "sector": _named(Counter(r.sector for r in rows if r.sector), Sector),
        "keyword": _plain(Counter(w for r in rows for w in r.keywords.split("、") if w),
                          TOP_KEYWORDS),
    }
    return {name: values for name, values in out.items() if values}


def _plain(counts: Counter, top: int | None = None) -> list[tuple[Any, str, int]]:
    return [(value, value, n) for value, n in counts.most_common(top)]


def _named(counts: Counter, model: type, related: tuple[str, ...] = ()) -> list[tuple]:
    if not counts:
        return []
    names = kept_names(model, sorted(counts), related)
    return [(pk, names[pk], n) for pk, n in counts.most_common() if pk in names]


def kept_names(model: type, ids: list[int], related: tuple[str, ...]) -> dict[int, str]:
    """Bodies', sessions' and sectors' names, kept with the setup (core.forms.kept_options:
    until one of them is saved): every search asked for the same few by id."""
    def build() -> dict[int, str]:
        # No order: the counts order them; the models' orders join their bodies for nothing.
        found = model.objects.select_related(*related).order_by().in_bulk(ids)
        return {pk: str(row) for pk, row in found.items()}
    return kept_options(f"facets.{model._meta.label}", ids, build)
