"""Proposal operations that are not state changes: rules, timing, numbering, deadlines."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lvzhi.core import plain
from lvzhi.core.models import Body, Session
from lvzhi.core.workdays import WorkCalendar
from lvzhi.proposals.models import NumberCounter, Proposal, ProposalRules


def rules_for(body: Body | int) -> ProposalRules:
    body_id = body if isinstance(body, int) else body.pk
    return plain.get_or_create(ProposalRules, body_id=body_id)


def rules_of(proposal: Proposal) -> ProposalRules:
    """The rules of the proposal's body, read once per proposal object (a page asks for
    them in its view, its allowed actions and its template)."""
    if "_rules" not in proposal.__dict__:
        proposal.__dict__["_rules"] = rules_for(proposal.body_id)
    return proposal.__dict__["_rules"]


def today() -> datetime.date:
    return timezone.localdate()


def session_and_timing(body: Body, day: datetime.date) -> tuple[Session | None, str]:
    """大会提案 inside a session's proposal window; otherwise 平时提案 of the latest session."""
    sessions = Session.objects.filter(body=body, term__is_current=True)
    in_window = sessions.filter(proposal_window_start__lte=day,
                                proposal_window_end__gte=day).first()
    if in_window:
        return in_window, Proposal.Timing.CONGRESS
    latest = sessions.filter(start_date__lte=day).order_by("-start_date").first()
    return latest or sessions.order_by("start_date").first(), Proposal.Timing.INTERIM


def next_number(session: Session, timing: str) -> int:
    """The next gap-free number; must run inside the filing transaction.

    The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite's IMMEDIATE
    transactions serialise writers), so two staff filing at the same instant get two
    numbers, and a rolled-back filing gives its number back.
    """
    assert transaction.get_connection().in_atomic_block
    counter, _new = NumberCounter.objects.select_for_update().get_or_create(
        session=session, timing=timing)
    NumberCounter.objects.filter(pk=counter.pk).update(last=F("last") + 1)
    return counter.last + 1


def handling_deadline(rules: ProposalRules, assigned_on: datetime.date, role: str) -> datetime.date:
    months = rules.cohandling_months if role == "co" else rules.handling_months
    return WorkCalendar().add_months(assigned_on, months)


def latest_extension(rules: ProposalRules, assigned_on: datetime.date) -> datetime.date:
    return WorkCalendar().add_months(assigned_on, rules.max_extension_months)


def return_window_end(rules: ProposalRules, assigned_on: datetime.date) -> datetime.date:
    return WorkCalendar().add_workdays(assigned_on, rules.return_window_workdays)
