"""Who is told about what in the proposal cycle. Delivery happens on commit."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from lvzhi.core import plain
from lvzhi.core.models import Member, Role, RoleKind, User
from lvzhi.core.notifications import Message, notify
from lvzhi.proposals.models import Cosigner, Proposal
from lvzhi.proposals.services import rules_for


def _message(p: Proposal, title: str, text: str = "", urgent: bool = False) -> Message:
    return Message(p.body_id, title, text, p.get_absolute_url(), urgent=urgent)


def proposers(p: Proposal, title: str, text: str = "") -> None:
    """The lead proposer, confirmed co-signers and proposers of proposals merged into it."""
    # Plain reads: most actions tell the proposers, inside the action's transaction.
    confirmed = [c for c in plain.rows(Cosigner, proposal_id=p.pk, order=["id"])
                 if c.state == Cosigner.State.CONFIRMED]
    merged = plain.rows(Proposal, merged_into_id=p.pk, order=["id"])
    seats = plain.fill(Member, (confirmed, "member"), (merged, "proposer")).values()
    plain.fill(User, (seats, "user"))
    notify([p.proposer.user, *(c.member.user for c in confirmed),
            *(m.proposer.user for m in merged)], _message(p, title, text))


def lead(p: Proposal, title: str, text: str = "") -> None:
    notify([p.proposer.user], _message(p, title, text))


def people(users: Iterable[User], p: Proposal, title: str, text: str = "") -> None:
    notify(users, _message(p, title, text))


def office(p: Proposal, title: str, text: str = "", urgent: bool = False) -> None:
    rules = rules_for(p.body_id)
    staff = Role.objects.filter(body_id=p.body_id, kind=RoleKind.STAFF)
    if rules.office_id:
        staff = staff.filter(department_id=rules.office_id)
    notify(User.objects.filter(pk__in=staff.values("user_id")),
           _message(p, title, text, urgent))


def units(p: Proposal, unit_ids: Iterable[int], title: str, text: str = "",
          urgent: bool = False) -> None:
    handlers = Role.objects.filter(kind=RoleKind.UNIT_HANDLER,
                                   handling_unit_id__in=list(unit_ids))
    notify(User.objects.filter(Q(pk__in=handlers.values("user_id"))),
           _message(p, title, text, urgent))
