"""The district appraisal's actions, through the one workflow entry point (core.workflow).

A district's staff submit their self-assessment while the appraisal is at 区县自评; the
city's office then starts the scoring, scores each district (its figures taken as they
stand that day), records the chairpersons' meeting's approval — which ranks the districts —
and publishes the result to every district (通报)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import figures
from lvzhi.core.access import actor_for
from lvzhi.core.errors import Refusal
from lvzhi.core.notifications import Message, notify
from lvzhi.core.workflow import Action, Context, Workflow
from lvzhi.ledgers import appraisal as A
from lvzhi.ledgers.models import DistrictAppraisal, DistrictScore

S, T = DistrictAppraisal.State, DistrictScore.State

APPRAISAL = Workflow(
    model=DistrictAppraisal, visible=A.appraisals_for, rules=lambda a: None,
    roles={"office": lambda ctx: A.is_city_office(ctx.actor, ctx.obj)},
    actions={
        "start_scoring": Action(gettext_lazy("结束自评，开始评分"), "office", frozenset({S.SELF})),
        "approve": Action(gettext_lazy("登记主席会议审定"), "office", frozenset({S.SCORING})),
        "publish": Action(gettext_lazy("通报考核结果"), "office", frozenset({S.APPROVED})),
    },
    not_found=gettext_lazy("找不到该考核，或您无权查看。"), noun=gettext_lazy("该考核"),
    event_labels={"created": gettext_lazy("启动考核")},
)
SCORE = Workflow(
    model=DistrictScore, visible=A.scores_for, rules=lambda s: None,
    roles={"district": lambda ctx: A.is_district_staff(ctx.actor, ctx.obj),
           "office": lambda ctx: A.is_city_office(ctx.actor, ctx.obj.appraisal)},
    actions={
        "self_assess": Action(gettext_lazy("提交自评"), "district",
                              frozenset({T.PENDING, T.SUBMITTED})),
        "score": Action(gettext_lazy("评分"), "office", frozenset({T.PENDING, T.SUBMITTED,
                                                                 T.SCORED})),
    },
    not_found=gettext_lazy("找不到该区县的考核表，或您无权查看。"), noun=gettext_lazy("该考核表"),
    related=("appraisal", "body"),
)


def _scores_in(ctx: Context, prefix: str) -> dict[str, Any]:
    return {i["code"]: ctx.params.get(f"{prefix}_{i['code']}")
            for i in ctx.obj.appraisal.items}


def _stage(ctx: Context, state: str, message: str) -> None:
    if ctx.obj.appraisal.state != state:
        raise Refusal("wrong_stage", message, status=409)


@SCORE.handler("self_assess")
def _self_assess(ctx: Context) -> None:
    _stage(ctx, S.SELF, _("自评已结束，市政协正在评分。"))
    score = ctx.obj
    score.self_scores, score.self_extra = A.check_scores(
        score.appraisal, _scores_in(ctx, "self"), ctx.params.get("self_extra", 0), "self")
    score.self_note = str(ctx.params.get("self_note") or "")[:2000]
    score.state = T.SUBMITTED
    score.save()
    ctx.data["total"] = str(A.total(score.appraisal, score.self_scores, score.self_extra))


@SCORE.handler("score")
def _score(ctx: Context) -> None:
    _stage(ctx, S.SCORING, _("只有在评分阶段才能评分。"))
    score = ctx.obj
    score.scores, score.extra = A.check_scores(
        score.appraisal, _scores_in(ctx, "score"), ctx.params.get("extra", 0))
    score.notes = {i["code"]: str(ctx.params.get(f"note_{i['code']}") or "")[:500]
                   for i in score.appraisal.items if ctx.params.get(f"note_{i['code']}")}
    score.extra_note = str(ctx.params.get("extra_note") or "")[:500]
    score.figures = figures.figures_of(score.body_id, score.appraisal.year,
                                       [i["figure"] for i in score.appraisal.items
                                        if i["figure"]])
    score.total = A.total(score.appraisal, score.scores, score.extra)
    score.state = T.SCORED
    score.save()
    ctx.data["total"] = str(score.total)


@APPRAISAL.handler("start_scoring")
def _start_scoring(ctx: Context) -> None:
    ctx.obj.state = S.SCORING
    ctx.obj.save(update_fields=["state"])
    ctx.data["not_assessed"] = list(ctx.obj.scores.filter(state=T.PENDING)
                                    .values_list("body__short_name", flat=True))


@APPRAISAL.handler("approve")
def _approve(ctx: Context) -> None:
    a = ctx.obj
    left = list(a.scores.exclude(state=T.SCORED).values_list("body__short_name", flat=True))
    if left:
        raise Refusal("not_scored", _("以下区县尚未评分：%(d)s。") % {"d": "、".join(left)},
                      status=409)
    meeting = ctx.text("meeting", _("请填写审定的会议（如：市政协主席会议）。"))
    try:
        day = datetime.date.fromisoformat(str(ctx.params.get("approved_on") or ""))
    except ValueError:
        raise Refusal("bad_approved_on", _("请填写正确的审定日期。")) from None
    if day > timezone.localdate():
        raise Refusal("bad_approved_on", _("审定日期不能晚于今天。"))
    a.meeting, a.approved_on = meeting[:100], day
    a.document = str(ctx.params.get("document") or "").strip()[:60]
    a.state = S.APPROVED
    a.save()
    A.rank(a)
    ctx.data.update({"meeting": a.meeting, "document": a.document})


@APPRAISAL.handler("publish")
def _publish(ctx: Context) -> None:
    ctx.obj.state = S.PUBLISHED
    ctx.obj.save(update_fields=["state"])
    notify(A.district_staff(ctx.obj), Message(
        ctx.obj.body_id, _("%(t)s结果已通报") % {"t": ctx.obj.title}, "",
        ctx.obj.get_absolute_url()))


def district_sheet(user: Any, appraisal: DistrictAppraisal) -> DistrictScore | None:
    """The sheet of the district where this user holds a role, if any (city oversight reads
    every district but holds none of their sheets)."""
    own = {body for _kind, body in actor_for(user).roles}
    return A.scores_for(user).filter(appraisal=appraisal, body_id__in=own).first()
