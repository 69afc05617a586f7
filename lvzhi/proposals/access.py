"""Which proposals a user may see, and in which capacity they may act on one."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lvzhi.core.access import actor_for, bodies_with, get_by_key
from lvzhi.core.access import office_bodies as core_office_bodies
from lvzhi.proposals.models import Assignment, Cosigner, Proposal, ProposalRules

HIDDEN_FROM_READERS = [Proposal.State.DRAFT]
UNIT_LIST_MAX = 2000  # a unit's assigned proposals written out as ids up to this many


def proposals_for(user: Any) -> QuerySet[Proposal]:
    """Own and co-signed proposals; assigned ones for unit handlers; the body's non-draft
    proposals for its staff and leaders (and, read-only, for city oversight)."""
    actor = actor_for(user)
    if not user.is_authenticated:
        return Proposal.objects.none()
    bodies = bodies_with(user, "proposals.read_all")
    # The person's own alternatives as lists of ids, read first (a member co-signs and has
    # merged a few): an OR of literal lists is served by an index on both databases, where
    # PostgreSQL scanned the whole table for an OR of subqueries (18 ms at Harbin scale).
    seats = actor.seat_ids
    cosigned = list(Cosigner.objects.filter(member_id__in=seats).order_by().values_list(
        "proposal_id", flat=True)) if seats else []
    # 并案: each proposer of a merged proposal reads the one it went into, and its reply.
    merged_into = list(Proposal.objects.filter(
        proposer_id__in=seats, merged_into__isnull=False).order_by().values_list(
        "merged_into_id", flat=True)) if seats else []
    filters = Q(proposer_id__in=seats) | Q(pk__in=cosigned, state__in=_visible_to_cosigners()) \
        | Q(pk__in=merged_into)
    if bodies:
        filters |= Q(body_id__in=bodies) & ~Q(state__in=HIDDEN_FROM_READERS)
    if actor.handling_units:
        # A list too, as long as it stays short: a unit that has handled thousands keeps
        # the subquery (PostgreSQL then scans; SQLite does not).
        assigned = Assignment.objects.filter(unit_id__in=actor.handling_units).exclude(
            state=Assignment.State.RETURNED).order_by().values_list("proposal_id", flat=True)
        listed = list(assigned[:UNIT_LIST_MAX + 1])
        filters |= Q(pk__any_of=listed) if len(listed) <= UNIT_LIST_MAX else Q(pk__in=assigned)
    return Proposal.objects.filter(filters)


def invitations_for(user: Any) -> QuerySet[Cosigner]:
    """Open co-signing invitations. An invitation exists for the invitee once it is sent
    (the proposal submitted): from then on they read the full text, before it nothing."""
    return Cosigner.objects.filter(member__user=user, state=Cosigner.State.INVITED)\
        .exclude(proposal__state=Proposal.State.DRAFT)


def body_proposals_for(user: Any) -> QuerySet[Proposal]:
    """The office's ledger: non-draft proposals of the bodies the user reads. The same rows
    as proposals_for() within those bodies, without its ORs, so the indexes can serve it."""
    return Proposal.objects.filter(body_id__in=bodies_with(user, "proposals.read_all"))\
        .exclude(state__in=HIDDEN_FROM_READERS)


def _visible_to_cosigners() -> list[str]:
    return [s for s in Proposal.State.values if s != Proposal.State.DRAFT]


def get_proposal_for(user: Any, pk: int) -> Proposal:
    """The proposal, if `user` may see it (404 otherwise). Read by its key first: the
    office's and the proposer's common cases are decided without proposals_for()'s ORs."""
    # The proposal merged into and the supervising leader are not joined: both are nearly
    # always empty (an empty one is None without a query), and each join cost as much as
    # reading it.
    rows = Proposal.objects.select_related("body", "session__term", "proposer__user",
                                           "proposer__sector")
    return get_by_key(user, rows, pk, plainly=_plainly_visible, visible=proposals_for)


def _plainly_visible(user: Any, proposal: Proposal) -> bool:
    if not user.is_authenticated:
        return False
    return proposal.proposer.user_id == user.pk or (
        proposal.state not in HIDDEN_FROM_READERS
        and proposal.body_id in bodies_with(user, "proposals.read_all"))


def is_office(user: Any, proposal: Proposal) -> bool:
    return proposal.body_id in office_bodies(user)


def office_bodies(user: Any) -> set[int]:
    """Bodies whose proposal office this user works in."""
    return core_office_bodies(user, "proposals.review", ProposalRules)


def my_assignments(user: Any) -> QuerySet[Assignment]:
    return Assignment.objects.filter(unit_id__in=actor_for(user).handling_units)


def merged_seat(user: Any, proposal: Proposal):
    """The user's seat on a proposal merged into `proposal`, if any."""
    row = proposal.merged.filter(proposer__user=user).select_related("proposer").first()
    return row.proposer if row else None


def is_proposer_side(user: Any, proposal: Proposal) -> bool:
    """The lead proposer, a co-signer, or the proposer of a proposal merged into it."""
    if proposal.proposer.user_id == user.pk:
        return True
    seats = actor_for(user).seat_ids
    # Staff without a seat anywhere are on no proposer's side: no query needed.
    return bool(seats) and (proposal.cosigners.filter(member_id__in=seats).exists()
                            or proposal.merged.filter(proposer_id__in=seats).exists())


def may_view_reply(user: Any, reply: Any) -> bool:
    """A reply's file: the office and the unit see it at once; proposers once accepted."""
    proposal = proposals_for(user).filter(pk=reply.assignment.proposal_id).first()
    if proposal is None:
        return False
    if reply.state == "accepted":
        return True
    return not is_proposer_side(user, proposal)
