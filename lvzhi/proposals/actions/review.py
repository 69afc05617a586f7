"""What the proposal office does at review (审查) and assignment (交办)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core import plain
from lvzhi.core.errors import Refusal
from lvzhi.core.handoffs import hand_over
from lvzhi.core.inputs import all_ids
from lvzhi.core.models import HandlingUnit
from lvzhi.duties.services import record_fact
from lvzhi.proposals import notices
from lvzhi.proposals.models import Assignment, Cosigner, Proposal, RejectGround
from lvzhi.proposals.services import handling_deadline, next_number, today
from lvzhi.proposals.units import retrain_soon
from lvzhi.proposals.workflow import REVIEWED, Context, handler, set_keywords

S = Proposal.State


@handler("file")
def file(ctx: Context) -> None:
    p = ctx.proposal
    # Read once, plainly, for the facts and the notice (all inside the write lock).
    cosigners = plain.rows(Cosigner, proposal_id=p.pk, order=["id"])
    # Co-signers who have not confirmed by now drop off the list.
    dropping = [c.pk for c in cosigners if c.state == Cosigner.State.INVITED]
    if dropping:
        Cosigner.objects.filter(pk__in=dropping).update(state=Cosigner.State.DROPPED)
    confirmed = notices.confirmed_cosigners(cosigners)
    p.number = next_number(p.session, p.timing)
    p.state = S.FILED
    p.filed_at = timezone.now()
    p.save(update_fields=["number", "state", "filed_at"])
    ctx.data["number"] = p.number
    record_fact(p.proposer, "proposal_filed", p, today(), {"title": p.title})
    for row in confirmed:
        record_fact(row.member, "proposal_cosigned", p, today(), {"title": p.title})
    notices.proposers(p, _("您的提案已立案（%(number)s）") % {"number": p.number_label},
                      p.title, confirmed=confirmed)


@handler("reject")
def reject(ctx: Context) -> None:
    ground = ctx.param("ground", _("请选择不予立案的理由。"))
    if ground not in RejectGround.values:
        raise Refusal("bad_ground", _("请选择不予立案的理由。"))
    p = ctx.proposal
    p.state, p.reject_ground = S.REJECTED, ground
    p.review_note = str(ctx.params.get("comment") or "")
    p.save(update_fields=["state", "reject_ground", "review_note"])
    ctx.data["ground"] = ground
    notices.lead(p, _("您的提案不予立案"), _("理由：%(ground)s。%(note)s") % {
        "ground": RejectGround(ground).label, "note": p.review_note})


@handler("merge")
def merge(ctx: Context) -> None:
    p = ctx.proposal
    target_id = ctx.id("into", _("请选择并入的已立案提案。"))
    target = Proposal.objects.filter(pk=target_id,
                                     body_id=p.body_id, state__in=REVIEWED).first()
    if target is None or target.pk == p.pk:
        raise Refusal("bad_merge_target", _("只能并入本政协已立案的其他提案。"))
    p.state, p.merged_into = S.MERGED, target
    p.save(update_fields=["state", "merged_into"])
    ctx.data["into"] = target.pk
    record_fact(p.proposer, "proposal_merged", p, today(), {"title": p.title})
    notices.lead(p, _("您的提案已并案办理"), _("已并入%(number)s“%(title)s”，答复将一并送达。")
                 % {"number": target.number_label, "title": target.title})


@handler("convert")
def convert(ctx: Context) -> None:
    to = ctx.param("to", _("请选择转办方式。"))
    if to not in Proposal.Conversion.values:
        raise Refusal("bad_conversion", _("请选择转办方式。"))
    p = ctx.proposal
    p.state, p.converted_to = S.CONVERTED, to
    p.review_note = str(ctx.params.get("comment") or "")
    if to == Proposal.Conversion.OPINION:
        # Into the opinion office's queue, in the proposer's name and to their credit.
        report = hand_over(
            "opinion_report", author=p.proposer, actor=ctx.actor, source=p,
            source_label=_("提案%(n)s《%(t)s》") % {"n": p.number_label, "t": p.title},
            title=p.title, situation=p.situation, analysis=p.analysis,
            suggestions=p.suggestions)
        p.converted_object = report
        ctx.data["report"] = report.pk
    p.save(update_fields=["state", "converted_to", "review_note", "converted_type",
                          "converted_id"])
    ctx.data["to"] = to
    notices.lead(p, _("您的提案已%(how)s") % {"how": Proposal.Conversion(to).label},
                 p.review_note)


@handler("return")
def return_for_revision(ctx: Context) -> None:
    p = ctx.proposal
    p.state = S.RETURNED
    p.review_note = ctx.text("comment", _("请写明退回修改的原因。"))
    p.save(update_fields=["state", "review_note"])
    notices.lead(p, _("您的提案被退回修改"), p.review_note)


@handler("assign")
def assign(ctx: Context) -> None:
    """单办: one unit; 主办 + 会办: `units` = [lead], `co_units` = [...]; 分办: several."""
    how = ctx.param("handling", _("请选择办理方式（单办、主办会办或分办）。"))
    units = _units(ctx, ctx.params.get("units") or [])
    co_units = _units(ctx, ctx.params.get("co_units") or [])
    plan = _plan(how, units, co_units)
    p = ctx.proposal
    for unit, role in plan:
        _create_assignment(ctx, unit, role)
    p.state = S.HANDLING
    p.save(update_fields=["state"])
    ctx.data.update(handling=how, units=[u.pk for u, _role in plan])
    notices.units(p, [u.pk for u, _role in plan], _("新交办提案：%(title)s") % {"title": p.title})
    notices.proposers(p, _("您的提案已交办"), "、".join(u.name for u, _role in plan))
    retrain_soon(p.body_id)  # what was just chosen teaches the next suggestion


def _plan(how: str, units: list[HandlingUnit], co_units: list[HandlingUnit]):
    all_ids = [u.pk for u in units + co_units]
    if len(all_ids) != len(set(all_ids)):
        raise Refusal("duplicate_unit", _("同一承办单位不能重复交办。"))
    if how == Assignment.Role.SINGLE and len(units) == 1 and not co_units:
        return [(units[0], Assignment.Role.SINGLE)]
    if how == Assignment.Role.LEAD and len(units) == 1 and co_units:
        return [(units[0], Assignment.Role.LEAD)] + [(u, Assignment.Role.CO) for u in co_units]
    if how == Assignment.Role.SPLIT and len(units) >= 2 and not co_units:
        return [(u, Assignment.Role.SPLIT) for u in units]
    raise Refusal("bad_handling", _(
        "办理方式与单位不符：单办选一个单位；主办选一个主办单位和至少一个会办单位；分办至少选两个单位。"))


def _units(ctx: Context, ids: list) -> list[HandlingUnit]:
    wanted = all_ids(ids)
    if wanted == set():
        return []  # (no co-units: nothing to ask the database, inside the write lock)
    if wanted is None:
        raise Refusal("bad_unit", _("所选承办单位不属于本政协或已停用。"))
    units = list(HandlingUnit.objects.filter(pk__in=wanted, body_id=ctx.proposal.body_id,
                                             is_active=True))
    if len(units) != len(wanted):
        raise Refusal("bad_unit", _("所选承办单位不属于本政协或已停用。"))
    return units


def _create_assignment(ctx: Context, unit: HandlingUnit, role: str) -> Assignment:
    on = today()
    return Assignment.objects.create(
        body_id=ctx.proposal.body_id, proposal=ctx.proposal, unit=unit, role=role,
        assigned_on=on, deadline=handling_deadline(ctx.rules, on, role))


@handler("add_unit")
def add_unit(ctx: Context) -> None:
    """改办: after a return request is approved, give the proposal to another unit."""
    role = ctx.param("role", _("请选择办理方式。"))
    if role not in Assignment.Role.values:
        raise Refusal("bad_handling", _("请选择办理方式。"))
    (unit,) = _units(ctx, [ctx.id("unit", _("请选择承办单位。"))])
    p = ctx.proposal
    if p.assignments.filter(unit=unit).exclude(state=Assignment.State.RETURNED).exists():
        raise Refusal("duplicate_unit", _("同一承办单位不能重复交办。"))
    assignment = _create_assignment(ctx, unit, role)
    ctx.data.update(unit=unit.pk, role=role, assignment=assignment.pk)
    notices.units(p, [unit.pk], _("新交办提案：%(title)s") % {"title": p.title})


@handler("close")
def close(ctx: Context) -> None:
    p = ctx.proposal
    window_open = p.evaluation_deadline is not None and today() <= p.evaluation_deadline
    if p.round < 2 and window_open:
        raise Refusal("close_early", _("提案人评价期限未到，暂不能办结。"), status=409)
    p.state = S.CLOSED
    p.save(update_fields=["state"])
    notices.proposers(p, _("您的提案已办结"), p.title)


@handler("set_keywords")
def keywords(ctx: Context) -> None:
    """The office corrects the keywords (left blank: extracted again from the text)."""
    p = ctx.proposal
    set_keywords(p, str(ctx.params.get("keywords") or ""))
    p.save(update_fields=["keywords"])
    ctx.data["keywords"] = p.keywords
