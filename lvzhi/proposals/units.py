"""Suggested handling units (建议承办单位): learned from the body's past assignments, ranked
for a filed proposal beside the units its proposer suggested; the office still chooses.

The model of each body (search.classify) is retrained by a task (tasks.train_unit_model)
at most once a day after the office assigns, and by `lvzhi train_units`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from lvzhi.core.models import HandlingUnit
from lvzhi.proposals.models import Assignment, Proposal
from lvzhi.search import classify, index

MIN_EXAMPLES = 30  # fewer past assignments than this teach nothing
RETRAIN_AFTER = datetime.timedelta(days=1)
LEARNED_FROM = [Proposal.State.HANDLING, Proposal.State.EVALUATING, Proposal.State.CLOSED]


@dataclass(frozen=True)
class Suggestion:
    unit: HandlingUnit
    score: float  # 0–1, relative to the other units


def model_name(body_id: int) -> str:
    return f"units-{body_id}"


def examples(body_id: int, proposal_ids: set[int] | None = None) -> tuple[list[str], list[int]]:
    """(texts, unit ids): each past assignment that stood (not returned as wrongly given)
    is one example, the proposal's indexed terms its text."""
    rows = Assignment.objects.filter(body_id=body_id, proposal__state__in=LEARNED_FROM)\
        .exclude(state=Assignment.State.RETURNED).values_list("proposal_id", "unit_id")
    pairs = [(p, u) for p, u in rows if proposal_ids is None or p in proposal_ids]
    terms = index.terms_of("proposal", body_id, {p for p, _u in pairs})
    kept = [(terms[p], u) for p, u in pairs if terms.get(p)]
    return [t for t, _u in kept], [u for _t, u in kept]


def train(body_id: int) -> int:
    """Retrain the body's model from all its past assignments; the number of examples
    (0: too few, no model written)."""
    texts, units = examples(body_id)
    if len(texts) < MIN_EXAMPLES:
        return 0
    classify.save(model_name(body_id), classify.train(texts, units))
    return len(texts)


def suggest(p: Proposal, top: int = 3) -> list[Suggestion]:
    """The units most likely to handle `p`, by what the body's units handled before."""
    ranker = classify.load(model_name(p.body_id))
    text = index.terms_of("proposal", p.body_id, [p.pk]).get(p.pk, "")
    if ranker is None or not text:
        return []
    ranked = ranker.rank(text, top + 5)  # room for units since made inactive
    units = HandlingUnit.objects.filter(body_id=p.body_id, is_active=True).in_bulk(
        [u for u, _s in ranked])
    return [Suggestion(units[u], s) for u, s in ranked if u in units][:top]


def retrain_soon(body_id: int) -> None:
    """After an assignment: queue a retraining if the model is a day old (or missing),
    once per body per hour however many assignments come in."""
    made = classify.trained_at(model_name(body_id))
    if made and timezone.now() - made < RETRAIN_AFTER:
        return
    if not cache.add(f"units:retrain:{body_id}", 1, 3600):
        return
    from lvzhi.proposals.tasks import train_unit_model

    transaction.on_commit(lambda: train_unit_model.enqueue(body_id))
