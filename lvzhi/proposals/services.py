"""Proposal operations that are not state changes: rules, timing, numbering, deadlines."""

from __future__ import annotations

import datetime

from django.db import connection, transaction
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

    The counter row is counted up and read in one statement (UPDATE … RETURNING, which
    holds its row lock on PostgreSQL to the end of the transaction; SQLite's IMMEDIATE
    transactions serialise writers), so two staff filing at the same instant get two
    numbers, and a rolled-back filing gives its number back. One statement, not the ORM's
    locked read and update: this runs inside every filing's write lock.
    """
    assert transaction.get_connection().in_atomic_block
    table = connection.ops.quote_name(NumberCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET last = last + 1 "
                       "WHERE session_id = %s AND timing = %s RETURNING last",
                       [session.pk, timing])
        counted = cursor.fetchone()
    if counted:
        return counted[0]
    # The session's first number of this timing (made now; made meanwhile by another
    # filing, the counter is counted up as above).
    _counter, new = NumberCounter.objects.get_or_create(session=session, timing=timing,
                                                        defaults={"last": 1})
    return 1 if new else next_number(session, timing)


def handling_deadline(rules: ProposalRules, assigned_on: datetime.date, role: str) -> datetime.date:
    months = rules.cohandling_months if role == "co" else rules.handling_months
    return WorkCalendar().add_months(assigned_on, months)


def latest_extension(rules: ProposalRules, assigned_on: datetime.date) -> datetime.date:
    return WorkCalendar().add_months(assigned_on, rules.max_extension_months)


def return_window_end(rules: ProposalRules, assigned_on: datetime.date) -> datetime.date:
    return WorkCalendar().add_workdays(assigned_on, rules.return_window_workdays)
