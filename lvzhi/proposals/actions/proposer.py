"""What proposers and co-signers do: submit, withdraw, co-sign, evaluate."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.models import Role, RoleKind
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.core.workdays import WorkCalendar
from lvzhi.duties.services import record_fact, withdraw_facts
from lvzhi.proposals import notices
from lvzhi.proposals.access import merged_seat
from lvzhi.proposals.models import Assignment, Cosigner, Evaluation, Proposal
from lvzhi.proposals.services import today
from lvzhi.proposals.workflow import Context, check_fields, handler

S = Proposal.State


@handler("submit")
def submit(ctx: Context) -> None:
    p = ctx.proposal
    check_fields(p, ctx.rules, complete=True)
    invited = p.cosigners.filter(state=Cosigner.State.INVITED).select_related("member__user")
    if p.kind == Proposal.Kind.JOINT and not p.cosigners.exclude(
            state__in=[Cosigner.State.DECLINED, Cosigner.State.DROPPED]).exists():
        raise Refusal("no_cosigners", _("联名提案须至少邀请一位联名人。"))
    if p.kind == Proposal.Kind.COLLECTIVE and not Role.objects.filter(
            user_id=p.proposer.user_id, body_id=p.body_id, kind=RoleKind.COLLECTIVE,
            affiliation=p.collective_name).exists():
        raise Refusal("not_authorised", _("只有%(name)s授权的报送人可以提交其集体提案。")
                      % {"name": p.collective_name}, status=403)
    p.state = S.SUBMITTED
    p.submitted_at = timezone.now()
    if p.kind == Proposal.Kind.JOINT and p.cosign_deadline is None:
        p.cosign_deadline = today() + datetime.timedelta(days=ctx.rules.cosign_days)
    # These fields alone: the text was saved with the draft, and the search entry then
    # takes its new state and time without its document rebuilt (index.Kind.light).
    p.save(update_fields=["state", "submitted_at", "cosign_deadline"])
    if p.kind == Proposal.Kind.JOINT:
        notices.people([c.member.user for c in invited], p, _("邀请您联名提案"),
                       _("%(name)s邀请您联名提出“%(title)s”，请在 %(date)s 前确认。") % {
                           "name": p.proposer.user.full_name, "title": p.title,
                           "date": cn_date(p.cosign_deadline)})
    record_fact(p.proposer, "proposal_submitted", p, today(), {"title": p.title})


@handler("withdraw")
def withdraw(ctx: Context) -> None:
    ctx.proposal.state = S.WITHDRAWN
    ctx.proposal.save(update_fields=["state"])
    # What the submission counted for stops counting; the record keeps it as withdrawn.
    withdraw_facts([ctx.proposal], _("提案已撤回"))


def _my_invitation(ctx: Context) -> Cosigner:
    row = ctx.proposal.cosigners.filter(member__user=ctx.actor).select_related("member").first()
    if row is None or row.state != Cosigner.State.INVITED:
        raise Refusal("not_invited", _("您没有待确认的联名邀请。"), status=409)
    deadline = ctx.proposal.cosign_deadline
    if deadline and today() > deadline:
        raise Refusal("cosign_late", _("联名确认已于 %(date)s 截止。") % {
            "date": cn_date(deadline)}, status=409)
    return row


def _answer(ctx: Context, state: str, verb: str) -> None:
    row = _my_invitation(ctx)
    row.state = state
    row.responded_at = timezone.now()
    row.save(update_fields=["state", "responded_at"])
    ctx.data["member"] = row.member_id
    notices.lead(ctx.proposal, _("%(name)s%(verb)s联名") % {
        "name": ctx.actor.full_name, "verb": verb}, ctx.proposal.title)


@handler("confirm_cosign")
def confirm_cosign(ctx: Context) -> None:
    _answer(ctx, Cosigner.State.CONFIRMED, _("已确认"))


@handler("decline_cosign")
def decline_cosign(ctx: Context) -> None:
    _answer(ctx, Cosigner.State.DECLINED, _("谢绝"))


def _evaluating_seat(ctx: Context):
    """Whose rating this is: the lead proposer's, a co-signer's, or a merged proposal's
    proposer's; only the lead proposer's decides what happens next."""
    p = ctx.proposal
    if p.proposer.user_id == ctx.actor.pk:
        return p.proposer
    row = p.cosigners.filter(member__user=ctx.actor).select_related("member").first()
    return row.member if row else merged_seat(ctx.actor, p)


@handler("evaluate")
def evaluate(ctx: Context) -> None:
    p = ctx.proposal
    rating = str(ctx.params.get("rating") or "")
    comment = str(ctx.params.get("comment") or "").strip()
    errors = {}
    if rating not in Evaluation.Rating.values:
        errors["rating"] = ("bad_rating", _("请选择满意、基本满意或不满意。"))
    if rating == Evaluation.Rating.UNSATISFIED and not comment:
        # The reason goes to the unit, which handles the proposal again on it.
        errors["comment"] = ("missing_comment", _("选择“不满意”时，请写明不满意的原因。"))
    refuse_fields(errors)
    if p.evaluation_deadline and today() > p.evaluation_deadline:
        raise Refusal("evaluation_late", _("评价期限已于 %(date)s 截止。") % {
            "date": cn_date(p.evaluation_deadline)}, status=409)
    member = _evaluating_seat(ctx)
    if Evaluation.objects.filter(proposal=p, member=member, round=p.round).exists():
        raise Refusal("already_evaluated", _("您已评价过本轮办理结果。"), status=409)
    Evaluation.objects.create(body_id=p.body_id, proposal=p, member=member, round=p.round,
                              rating=rating, comment=comment)
    ctx.data.update(rating=rating, round=p.round)
    if member.pk != p.proposer_id:
        return  # co-signers' ratings are recorded; the lead proposer's decides
    if rating != Evaluation.Rating.UNSATISFIED:
        p.state = S.CLOSED
        p.save(update_fields=["state"])
        return
    if p.round >= 2:
        notices.office(p, _("提案人对重新办理结果仍不满意"), p.title)
        return
    _rehandle(ctx)


def _rehandle(ctx: Context) -> None:
    """不满意 sends the proposal back to its replying units with a new deadline."""
    p = ctx.proposal
    p.round += 1
    p.state = S.HANDLING
    p.evaluation_deadline = None
    p.save(update_fields=["round", "state", "evaluation_deadline"])
    deadline = WorkCalendar().add_months(today(), ctx.rules.rehandling_months)
    replying = p.assignments.exclude(role=Assignment.Role.CO)\
        .exclude(state=Assignment.State.RETURNED)
    replying.update(state=Assignment.State.HANDLING, deadline=deadline)
    ctx.data["new_deadline"] = deadline
    notices.units(p, replying.values_list("unit_id", flat=True), _("提案需重新办理"),
                  _("提案人对答复不满意，请于 %(date)s 前重新办理。") % {
                      "date": cn_date(deadline)})


