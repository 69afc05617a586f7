"""Filing numbers are unique and gap-free per session and timing class, even when several
staff file at the same instant (threads with their own database connections)."""

import threading

import pytest
from django.db import connection

from lvzhi.proposals.models import Proposal
from lvzhi.proposals.tests.conftest import DRAFT
from lvzhi.proposals.workflow import perform, save_draft

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_filing_gives_distinct_consecutive_numbers(world):
    seat = world.lin.memberships.get()
    proposals = [perform(save_draft(seat, world.lin, {**DRAFT, "title": f"建议{i}"}),
                         "submit", world.lin) for i in range(12)]
    start = threading.Barrier(len(proposals))
    errors = []

    def file(p):
        try:
            start.wait()
            perform(p.pk, "file", world.zhou)
        except Exception as exc:  # collected and reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=file, args=(p,)) for p in proposals]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Proposal.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 13))


def test_rolled_back_filing_returns_its_number(world):
    from lvzhi.core.errors import Refusal

    seat = world.lin.memberships.get()
    first = perform(save_draft(seat, world.lin, dict(DRAFT)), "submit", world.lin)
    second = perform(save_draft(seat, world.lin, dict(DRAFT)), "submit", world.lin)
    with pytest.raises(Refusal):
        perform(first, "file", world.lin)  # refused after nothing was numbered
    perform(second, "file", world.zhou)
    perform(first, "file", world.zhou)
    assert Proposal.objects.get(pk=second.pk).number == 1
    assert Proposal.objects.get(pk=first.pk).number == 2


def test_congress_and_interim_proposals_count_separately(world):
    seat = world.lin.memberships.get()
    a = perform(save_draft(seat, world.lin, dict(DRAFT)), "submit", world.lin)
    b = perform(save_draft(seat, world.lin, dict(DRAFT)), "submit", world.lin)
    Proposal.objects.filter(pk=b.pk).update(timing=Proposal.Timing.CONGRESS)
    perform(a, "file", world.zhou)
    perform(b, "file", world.zhou)
    assert {(p.timing, p.number) for p in Proposal.objects.all()} == {
        ("interim", 1), ("congress", 1)}
