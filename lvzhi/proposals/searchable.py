"""Proposals in the search box: title, sections, keywords and the accepted replies (a
proposer sees a reply only once accepted, so nothing earlier is indexed to be found by)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from lvzhi.core.paths import object_url
from lvzhi.proposals.access import proposals_for
from lvzhi.proposals.models import Proposal, Reply
from lvzhi.search import index


def register() -> None:
    index.register(index.Kind(
        "proposal", _("提案"), Proposal, _document, proposals_for,
        lambda pk, title: object_url("proposals:detail", pk), by_number=_by_number,
        rows=lambda: Proposal.objects.select_related("session", "proposer").prefetch_related(
            "assignments__replies"), time=Coalesce("submitted_at", "created_at"),  # as _when
        related={Reply: _replied},
        reads_all="proposals.read_all", light=_light,
        light_fields=frozenset({"state", "number", "filed_at", "submitted_at",
                                "cosign_deadline"})))


def _document(p: Proposal) -> index.Document:
    replies = [r.text for a in p.assignments.all() for r in a.replies.all()
               if r.state == Reply.State.ACCEPTED] if p.pk else []  # (a new draft: none)
    return index.Document(
        p.body_id, p.title, [p.situation, p.analysis, p.suggestions, *replies],
        snippet=_snippet(p), year=p.session.start_date.year, state=index.state_label(p),
        happened_at=_when(p), session_id=p.session_id,
        category=str(p.get_category_display() or ""), sector_id=p.proposer.sector_id,
        keywords=index.split_keywords(p.keywords))


def _replied(reply: Reply) -> Proposal | None:
    """The proposal whose entry a saved reply changes: only an accepted reply's text is
    indexed, and a reply leaves 待审核 only to be accepted or sent back — so a reply saved
    pending or sent back changes nothing (a unit's 答复 indexed nothing, after reading the
    proposal's assignments and replies inside the write lock)."""
    return reply.assignment.proposal if reply.state == Reply.State.ACCEPTED else None


def _when(p: Proposal) -> datetime.datetime | None:
    """The time an entry is ordered by: when submitted, or else made."""
    return p.submitted_at or p.created_at


def _snippet(p: Proposal) -> str:
    number = _("第%(n)s号") % {"n": p.number} if p.number else ""
    return f"{number} {p.situation} {p.suggestions}".strip()


def _light(p: Proposal) -> dict[str, Any]:
    """The entry's columns a submission or a filing changes (index.Kind.light): the state,
    the number at the head of the snippet, the time it is ordered by."""
    return {"state": index.state_label(p)[:40], "text": _snippet(p)[:4000],
            "happened_at": _when(p)}


def _by_number(user: Any, number: int) -> str | None:
    found = proposals_for(user).filter(number=number).order_by(
        "-session__start_date", "-pk").values_list("pk", flat=True).first()
    return reverse("proposals:detail", args=[found]) if found else None
