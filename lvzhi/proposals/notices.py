"""Who is told about what in the proposal cycle. Delivery happens on commit."""

from __future__ import annotations

from collections.abc import Iterable

from lvzhi.core import plain
from lvzhi.core.models import Member, Role, RoleKind, User
from lvzhi.core.notifications import Message, notify
from lvzhi.proposals.models import Cosigner, Proposal
from lvzhi.proposals.services import rules_for


def _message(p: Proposal, title: str, text: str = "", urgent: bool = False) -> Message:
    return Message(p.body_id, title, text, p.get_absolute_url(), urgent=urgent)


def confirmed_cosigners(cosigners: list[Cosigner]) -> list[Cosigner]:
    """The confirmed among a proposal's co-signer rows, with their seats (a plain read)."""
    confirmed = [c for c in cosigners if c.state == Cosigner.State.CONFIRMED]
    plain.fill(Member, (confirmed, "member"))
    return confirmed


def proposers(p: Proposal, title: str, text: str = "",
              confirmed: list[Cosigner] | None = None) -> None:
    """The lead proposer, confirmed co-signers and proposers of proposals merged into it.
    `confirmed`: the co-signers with their seats, when the caller has read them."""
    # Plain reads: most actions tell the proposers, inside the action's transaction.
    if confirmed is None:
        confirmed = confirmed_cosigners(plain.rows(Cosigner, proposal_id=p.pk, order=["id"]))
    merged = plain.rows(Proposal, merged_into_id=p.pk, order=["id"])
    seats = [c.member for c in confirmed]
    seats += plain.fill(Member, (merged, "proposer")).values()
    plain.fill(User, (seats, "user"))
    notify([p.proposer.user, *(c.member.user for c in confirmed),
            *(m.proposer.user for m in merged)], _message(p, title, text))


def lead(p: Proposal, title: str, text: str = "") -> None:
    notify([p.proposer.user], _message(p, title, text))


def people(users: Iterable[User], p: Proposal, title: str, text: str = "") -> None:
    notify(users, _message(p, title, text))


def office(p: Proposal, title: str, text: str = "", urgent: bool = False) -> None:
    office_id = rules_for(p.body_id).office_id
    staff = [r for r in plain.rows(Role, body_id=p.body_id, kind=RoleKind.STAFF, order=["id"])
             if not office_id or r.department_id == office_id]
    notify(_users(staff), _message(p, title, text, urgent))


def units(p: Proposal, unit_ids: Iterable[int], title: str, text: str = "",
          urgent: bool = False) -> None:
    handlers = plain.rows(Role, kind=RoleKind.UNIT_HANDLER, handling_unit_id=list(unit_ids),
                          order=["id"])
    notify(_users(handlers), _message(p, title, text, urgent))


def _users(roles: list[Role]) -> list[User]:
    """The people holding `roles`, in one plain read (these run inside the action's
    transaction, holding the write lock)."""
    return list(plain.fill(User, (roles, "user")).values())
