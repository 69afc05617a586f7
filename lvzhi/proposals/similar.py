"""Similar proposals (search.similar) as this app shows them: earlier ones while a member
writes — to read their replies or join instead — and 并案 candidates of the same session
for the office. Never a draft; a proposal the person may not open is named (number, title,
state, reply categories) only when its proposer agreed to its being public (同意公开)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from lvzhi.proposals.access import proposals_for
from lvzhi.proposals.models import Proposal, Reply
from lvzhi.search.similar import entry_texts, similar

MERGE_STATES = (Proposal.State.FILED, Proposal.State.HANDLING, Proposal.State.EVALUATING,
                Proposal.State.CLOSED)


@dataclass(frozen=True)
class Alike:
    proposal: Proposal
    score: float
    replies: list[str]  # the reply categories (A/B/C) the units gave
    readable: bool = True  # the person may open it

    @property
    def percent(self) -> int:
        return round(self.score * 100)


def _shown(user: Any, matches: list, rows: Any, limit: int,
           readable: set[int] | None = None) -> list[Alike]:
    score = {m.object_id: m.score for m in matches}
    found = {p.pk: p for p in rows.filter(pk__in=score).select_related("session")}
    replies: dict[int, list[str]] = {}
    for pid, category in Reply.objects.filter(
            assignment__proposal_id__in=found, state=Reply.State.ACCEPTED).values_list(
            "assignment__proposal_id", "category"):
        replies.setdefault(pid, []).append(category)
    ordered = [pk for pk in score if pk in found][:limit]
    return [Alike(found[pk], score[pk], sorted(set(replies.get(pk, []))),
                  readable is None or pk in readable) for pk in ordered]


def while_writing(user: Any, body_id: int, title: str, text: str,
                  exclude: int | None = None) -> list[Alike]:
    """Up to five earlier proposals of the body like the one being written."""
    if len(title.strip()) < 4 and len(text.strip()) < 10:
        return []
    matches = similar("proposal", body_id, title, text, exclude=exclude, limit=15)
    ids = [m.object_id for m in matches]
    readable = set(proposals_for(user).filter(pk__in=ids).exclude(
        state=Proposal.State.DRAFT).values_list("pk", flat=True))
    rows = Proposal.objects.filter(body_id=body_id).filter(
        Q(pk__in=readable) | Q(may_be_public=True, state__in=MERGE_STATES))
    return _shown(user, matches, rows, 5, readable)


def merge_candidates(user: Any, p: Proposal) -> list[Alike]:
    """Filed proposals of the same session like this one, with how alike (并案)."""
    matches = similar("proposal", p.body_id, entry_texts("proposal", p.pk), exclude=p.pk,
                      least=0.25, limit=15)
    rows = proposals_for(user).filter(session_id=p.session_id, state__in=MERGE_STATES)
    return _shown(user, matches, rows, 5)
