"""Key proposals, leaders' supervision notes, quality scores, excellent proposals and the
follow-up of B-category commitments."""

from __future__ import annotations

from django.utils.translation import gettext as _

from lvzhi.core.access import actor_for
from lvzhi.core.errors import Refusal
from lvzhi.core.models import User
from lvzhi.duties.services import record_fact
from lvzhi.proposals import notices
from lvzhi.proposals.models import QualityScore, Reply, SupervisionNote
from lvzhi.proposals.services import today
from lvzhi.proposals.workflow import Context, handler

INDICATORS = ["topic", "grasp", "analysis", "suggestions", "effect"]


@handler("mark_key")
def mark_key(ctx: Context) -> None:
    p = ctx.proposal
    key = bool(ctx.params.get("key", True))
    supervisor = None
    if key:
        leader_id = ctx.id("supervisor", _("请选择领衔督办的领导。"))
        supervisor = User.objects.filter(pk=leader_id).first()
        if supervisor is None or not actor_for(supervisor).has_role("leader", p.body_id):
            raise Refusal("bad_supervisor", _("督办领导须是本政协的领导。"))
    p.is_key, p.supervisor = key, supervisor
    p.save(update_fields=["is_key", "supervisor"])
    ctx.data.update(key=key, supervisor=getattr(supervisor, "pk", None))
    if key:
        record_fact(p.proposer, "proposal_key", p, today(), {"title": p.title})
        notices.people([supervisor], p, _("请您领衔督办重点提案"), p.title)


@handler("mark_excellent")
def mark_excellent(ctx: Context) -> None:
    p = ctx.proposal
    p.is_excellent = bool(ctx.params.get("excellent", True))
    p.save(update_fields=["is_excellent"])
    ctx.data["excellent"] = p.is_excellent
    if p.is_excellent:
        record_fact(p.proposer, "proposal_excellent", p, today(), {"title": p.title})
        notices.proposers(p, _("您的提案被评为优秀提案"), p.title)


@handler("score")
def score(ctx: Context) -> None:
    values = {}
    for name in INDICATORS:
        raw = ctx.params.get(name)
        try:
            values[name] = int(raw)
        except (TypeError, ValueError):
            raise Refusal("bad_score", _("每项评分须为 0 至 20 的整数。")) from None
        if not 0 <= values[name] <= 20:
            raise Refusal("bad_score", _("每项评分须为 0 至 20 的整数。"))
    total = sum(values.values())
    grade = (QualityScore.Grade.EXCELLENT if total >= 85 else
             QualityScore.Grade.GOOD if total >= 70 else QualityScore.Grade.FAIR)
    QualityScore.objects.update_or_create(
        proposal=ctx.proposal,
        defaults={**values, "grade": grade, "scored_by": ctx.actor,
                  "body_id": ctx.proposal.body_id})
    ctx.data.update(values, total=total, grade=grade)


@handler("follow_up_done")
def follow_up_done(ctx: Context) -> None:
    reply_id = ctx.id("reply", _("请选择承诺事项。"))
    row = Reply.objects.filter(pk=reply_id,
                               assignment__proposal=ctx.proposal, category="B",
                               state=Reply.State.ACCEPTED, followed_up_on__isnull=True).first()
    if row is None:
        raise Refusal("no_commitment", _("没有待落实的 B 类承诺。"), status=409)
    row.followed_up_on = today()
    row.save(update_fields=["followed_up_on"])
    ctx.data["reply"] = row.pk


@handler("supervise")
def supervise(ctx: Context) -> None:
    p = ctx.proposal
    if not p.is_key:
        raise Refusal("not_key", _("只有重点提案需要领导督办。"), status=409)
    note = SupervisionNote.objects.create(body_id=p.body_id, proposal=p, author=ctx.actor,
                                          text=ctx.text("text", _("请填写督办意见。")))
    ctx.data["note"] = note.pk
    units = p.assignments.exclude(state="returned").values_list("unit_id", flat=True)
    notices.units(p, units, _("领导督办意见"), note.text)
