"""Recording again, with their dates, the duty facts of every proposal (lvzhi duties
backfill): what the review and supervision actions record as they happen."""

from __future__ import annotations

from django.utils import timezone

from lvzhi.duties.services import record_fact
from lvzhi.proposals.models import Cosigner, Proposal

S = Proposal.State


def backfill_facts() -> None:
    rows = Proposal.objects.filter(proposer__isnull=False, submitted_at__isnull=False)\
        .exclude(state__in=[S.DRAFT, S.WITHDRAWN]).select_related("proposer")
    for p in rows.iterator():
        title = {"title": p.title}
        submitted = timezone.localdate(p.submitted_at)
        record_fact(p.proposer, "proposal_submitted", p, submitted, title)
        if p.state == S.MERGED:
            record_fact(p.proposer, "proposal_merged", p, submitted, title)
        if not p.filed_at:
            continue
        filed = timezone.localdate(p.filed_at)
        record_fact(p.proposer, "proposal_filed", p, filed, title)
        for row in p.cosigners.filter(state=Cosigner.State.CONFIRMED).select_related("member"):
            record_fact(row.member, "proposal_cosigned", p, filed, title)
        if p.is_key:
            record_fact(p.proposer, "proposal_key", p, filed, title)
        if p.is_excellent:
            record_fact(p.proposer, "proposal_excellent", p, filed, title)
