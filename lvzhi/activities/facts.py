"""Recording again the duty facts of closed activities and their outcomes (lvzhi duties
backfill): what closing the attendance and adding an outcome record as they happen."""

from __future__ import annotations

from django.utils import timezone

from lvzhi.activities.models import Activity, Invitation, Outcome
from lvzhi.duties.services import record_fact, record_facts


def backfill_facts() -> None:
    rows = Invitation.objects.filter(activity__state=Activity.State.CLOSED).exclude(
        attendance="").select_related("activity", "member")
    for row in rows.iterator():
        a = row.activity
        record_fact(row.member, f"activity_{a.kind}_{row.attendance}", row,
                    timezone.localdate(a.starts_at), {"title": a.title})
    notified = Activity.objects.filter(state__in=(Activity.State.NOTIFIED, Activity.State.CLOSED))
    for a in notified.prefetch_related("invitations__member").iterator(chunk_size=200):
        record_facts([i.member for i in a.invitations.all()], "activity_invited", a,
                     timezone.localdate(a.starts_at), {"title": a.title})
    for outcome in Outcome.objects.prefetch_related("authors"):
        for member in outcome.authors.all():
            record_fact(member, f"outcome_{outcome.kind}", outcome,
                        timezone.localdate(outcome.created_at), {"title": outcome.title})
