"""The proposal workflow: the table of actions, and the one entry point that performs them.

`perform(proposal, name, actor, **params)` locks the proposal, checks who may act and from
which state, applies the action, appends an event, records duty facts and queues
notifications — all in one transaction. Views and the API call this (and `save_draft`
for writing a draft); nothing else sets a proposal's state.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core.access import actor_for
from lvzhi.core.attachments import attach, check_upload
from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.inputs import all_ids, to_int
from lvzhi.core.models import Attachment, HandlingUnit, Member, User
from lvzhi.core.workflow import Action, Workflow
from lvzhi.core.workflow import Context as BaseContext
from lvzhi.proposals.access import is_office, my_assignments, proposals_for
from lvzhi.proposals.models import Assignment, Cosigner, Proposal, ProposalRules, Reply
from lvzhi.proposals.services import rules_for, rules_of, session_and_timing, today
from lvzhi.search import index, keywords

S = Proposal.State
REVIEWED = frozenset({S.FILED, S.HANDLING, S.EVALUATING, S.CLOSED})


ACTIONS: dict[str, Action] = {
    # the proposer
    "submit": Action(gettext_lazy("提交"), "proposer", frozenset({S.DRAFT, S.RETURNED})),
    "withdraw": Action(gettext_lazy("撤案"), "proposer",
                       frozenset({S.DRAFT, S.SUBMITTED, S.RETURNED})),
    "confirm_cosign": Action(gettext_lazy("确认联名"), "cosigner",
                             frozenset({S.SUBMITTED, S.RETURNED})),
    "decline_cosign": Action(gettext_lazy("谢绝联名"), "cosigner",
                             frozenset({S.SUBMITTED, S.RETURNED})),
    "evaluate": Action(gettext_lazy("评价办理结果"), "evaluator", frozenset({S.EVALUATING})),
    # the proposal office: review
    "file": Action(gettext_lazy("立案"), "office", frozenset({S.SUBMITTED})),
    "reject": Action(gettext_lazy("不予立案"), "office", frozenset({S.SUBMITTED})),
    "merge": Action(gettext_lazy("并案"), "office", frozenset({S.SUBMITTED})),
    "convert": Action(gettext_lazy("转办"), "office", frozenset({S.SUBMITTED})),
    "return": Action(gettext_lazy("退回修改"), "office", frozenset({S.SUBMITTED})),
    # the proposal office: assignment and handling
    "assign": Action(gettext_lazy("交办"), "office", frozenset({S.FILED})),
    "add_unit": Action(gettext_lazy("改办"), "office", frozenset({S.HANDLING})),
    "decide_request": Action(gettext_lazy("处理单位申请"), "office", frozenset({S.HANDLING})),
    "review_reply": Action(gettext_lazy("审核答复"), "office", frozenset({S.HANDLING})),
    "close": Action(gettext_lazy("办结"), "office", frozenset({S.EVALUATING})),
    # the proposal office: supervision and quality
    "mark_key": Action(gettext_lazy("设为重点提案"), "office", REVIEWED),
    "mark_excellent": Action(gettext_lazy("评为优秀提案"), "office", REVIEWED),
    "score": Action(gettext_lazy("质量评价"), "office", REVIEWED),
    "follow_up_done": Action(gettext_lazy("承诺事项已落实"), "office",
                             frozenset({S.EVALUATING, S.CLOSED})),
    "set_keywords": Action(gettext_lazy("修改关键词"), "office", REVIEWED | {S.SUBMITTED}),
    # handling units
    "record_contact": Action(gettext_lazy("记录沟通"), "unit", frozenset({S.HANDLING})),
    "co_opinion": Action(gettext_lazy("会签"), "unit", frozenset({S.HANDLING})),
    "reply": Action(gettext_lazy("答复"), "unit", frozenset({S.HANDLING})),
    "request_return": Action(gettext_lazy("申请退回"), "unit", frozenset({S.HANDLING})),
    "request_extension": Action(gettext_lazy("申请延期"), "unit", frozenset({S.HANDLING})),
    # leaders
    "supervise": Action(gettext_lazy("督办"), "leader", REVIEWED),
}


# Events that are not actions of the table (drafting, attachments) and their labels.
EVENT_LABELS = {
    "created": gettext_lazy("起草"),
    "edited": gettext_lazy("修改"),
    "attachment_added": gettext_lazy("上传附件"),
    "reminder": gettext_lazy("催办提醒"),
    "cosigner_dropped": gettext_lazy("联名人逾期未确认"),
    "proposer_contact_viewed": gettext_lazy("承办单位查看提案人联系电话"),
}



@dataclass
class Context(BaseContext[Proposal]):
    assignment: Assignment | None = None

    @property
    def proposal(self) -> Proposal:
        return self.obj


def _is_unit(ctx: Context) -> bool:
    units = actor_for(ctx.actor).handling_units
    active = ctx.proposal.assignments.filter(unit_id__in=units)\
        .exclude(state=Assignment.State.RETURNED)
    if ctx.probe:
        return active.exists()
    wanted = ctx.params.get("assignment")
    if wanted in (None, "") and active.count() == 1:
        ctx.assignment = active.get()
    elif wanted not in (None, ""):
        ctx.assignment = active.filter(pk=to_int(getattr(wanted, "pk", wanted)) or 0).first()
    return ctx.assignment is not None


ROLES = {
    "proposer": lambda ctx: ctx.proposal.proposer.user_id == ctx.actor.pk,
    # The buttons only for an open invitation; acting on an answered one still reaches
    # the handler, which says why not (409).
    "cosigner": lambda ctx: ctx.proposal.cosigners.filter(
        member__user=ctx.actor, **({"state": Cosigner.State.INVITED} if ctx.probe else {}),
    ).exists(),
    "evaluator": lambda ctx: ctx.proposal.proposer.user_id == ctx.actor.pk
    or ctx.proposal.cosigners.filter(member__user=ctx.actor,
                                     state=Cosigner.State.CONFIRMED).exists()
    or ctx.proposal.merged.filter(proposer__user=ctx.actor).exists(),
    "office": lambda ctx: is_office(ctx.actor, ctx.proposal),
    "unit": _is_unit,
    "leader": lambda ctx: actor_for(ctx.actor).has_role("leader", ctx.proposal.body_id),
}

WORKFLOW: Workflow[Proposal] = Workflow(
    model=Proposal, actions=ACTIONS, visible=proposals_for,
    rules=rules_of, roles=ROLES, context_class=Context,
    not_found=gettext_lazy("找不到该提案，或您无权查看。"), noun=gettext_lazy("该提案"),
    # the session too: the entry each write indexes gives its year (a query inside the lock)
    event_labels=EVENT_LABELS, related=("body", "proposer__user", "session"),
)
handler = WORKFLOW.handler
allowed_actions = WORKFLOW.allowed_actions
event_label = WORKFLOW.event_label


def perform(proposal: Proposal | int, name: str, actor: User, /, **params: Any) -> Proposal:
    """Perform action `name` on a proposal, or refuse with a Chinese message and change
    nothing (see lvzhi.core.workflow)."""
    return WORKFLOW.perform(proposal, name, actor, **params)


# --- drafts ------------------------------------------------------------------------------

DRAFT_FIELDS = ["title", "situation", "analysis", "suggestions", "category", "keywords",
                "kind", "collective_kind", "collective_name", "may_be_public"]


def save_draft(member: Member, actor: User, fields: dict[str, Any],
               proposal: Proposal | None = None) -> Proposal:
    """Create or edit a draft (or a proposal returned for revision)."""
    if member.user_id != actor.pk or not member.is_active:
        raise Refusal("forbidden", _("只能以本人的委员身份起草提案。"), status=403)
    rules = rules_for(member.body_id)
    if proposal is None:
        session, timing = session_and_timing(member.body, today())
        if session is None:
            raise Refusal("no_session", _("本届尚未设置会议，暂不能提交提案。"))
    _prepare_text(proposal or Proposal(body_id=member.body_id, proposer=member,
                                       session=session), fields)
    with transaction.atomic():
        if proposal is None:
            proposal = Proposal(body_id=member.body_id, proposer=member, session=session,
                                timing=timing)
            action = "created"
        else:
            proposal = _editable(proposal.pk, actor)
            action = "edited"
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(proposal, name, fields[name])
        set_keywords(proposal, proposal.keywords)
        check_fields(proposal, rules, complete=False)
        proposal.save()
        if "suggested_units" in fields:
            proposal.suggested_units.set(_units(proposal, fields["suggested_units"]))
        if "cosigners" in fields:
            _set_cosigners(proposal, fields["cosigners"])
        record_event(proposal, action, actor, to_state=proposal.state)
    return proposal


def _prepare_text(proposal: Proposal, fields: dict[str, Any]) -> None:
    """Extract the keywords and segment the text as they will be saved, before the
    transaction takes the write lock: the save inside then finds both remembered."""
    preview = copy.copy(proposal)
    for name in DRAFT_FIELDS:
        if name in fields:
            setattr(preview, name, fields[name])
    with contextlib.suppress(Refusal):  # refused again, with its message, inside
        set_keywords(preview, preview.keywords)
        index.warm(preview)


def set_keywords(p: Proposal, typed: str) -> None:
    """Keywords as typed, tidied; left blank, extracted from the text."""
    p.keywords = keywords.for_field(typed, p.title, p.situation, p.analysis, p.suggestions)


def _editable(pk: int, actor: User) -> Proposal:
    """The proposal locked for its proposer to change, while it is a draft or returned."""
    proposal = Proposal.objects.select_for_update().select_related("proposer").get(pk=pk)
    if proposal.proposer.user_id != actor.pk:
        raise Refusal("forbidden", _("只有提案人可以修改提案。"), status=403)
    if proposal.state not in (S.DRAFT, S.RETURNED):
        raise Refusal("wrong_state", _("提案已提交，不能再修改。"), status=409)
    return proposal


def add_attachment(actor: User, proposal: Proposal, upload: UploadedFile) -> Attachment:
    """A file to a draft or a returned proposal, by its proposer, as the edit page does."""
    check_upload(upload)
    with transaction.atomic():
        return attach(_editable(proposal.pk, actor), upload, actor)


def add_reply_file(actor: User, reply: Reply, upload: UploadedFile) -> Attachment:
    """A file to a reply still awaiting review, by the unit that wrote it."""
    check_upload(upload)
    with transaction.atomic():
        reply = Reply.objects.select_for_update(of=("self",)).select_related(
            "assignment").get(pk=reply.pk)
        if reply.assignment.unit_id not in actor_for(actor).handling_units:
            raise Refusal("forbidden", _("只有答复的承办单位可以添加答复附件。"), status=403)
        if reply.state != Reply.State.PENDING:
            raise Refusal("wrong_state", _("答复已审核，不能再添加附件。"), status=409)
        return attach(reply, upload, actor)


def reveal_proposer_contact(actor: User, proposal: Proposal) -> User:
    """The proposer, for a unit that must contact them (404 for anyone else); the looking
    is recorded in the proposal's history."""
    if not my_assignments(actor).filter(proposal=proposal).exclude(
            state=Assignment.State.RETURNED).exists():
        raise Http404
    record_event(proposal, "proposer_contact_viewed", actor)
    return proposal.proposer.user


def check_fields(p: Proposal, rules: ProposalRules, *, complete: bool) -> None:
    """Refuse over-long text always, and missing required parts when submitting."""
    if len(p.title or "") > rules.title_max:
        raise Refusal("title_too_long", _("案由不能超过 %(n)s 个字（现有 %(m)s 个）。")
                      % {"n": rules.title_max, "m": len(p.title)})
    labels = {"situation": _("情况"), "analysis": _("分析"), "suggestions": _("建议")}
    for name, label in labels.items():
        if len(getattr(p, name) or "") > rules.section_max:
            raise Refusal(f"{name}_too_long", _("“%(part)s”不能超过 %(n)s 个字。")
                          % {"part": label, "n": rules.section_max})
    if p.category and p.category not in Proposal.Category.values:
        raise Refusal("bad_category", _("请选择有效的提案分类。"))
    if p.kind not in Proposal.Kind.values:
        raise Refusal("bad_kind", _("请选择有效的提出方式。"))
    if not complete:
        return
    required = [("title", _("案由")), ("situation", _("情况")), ("suggestions", _("建议")),
                ("category", _("分类"))]
    for name, label in required:
        if not (getattr(p, name) or "").strip():
            raise Refusal(f"missing_{name}", _("请填写“%(part)s”。") % {"part": label})
    if p.kind == Proposal.Kind.COLLECTIVE and not (p.collective_kind and p.collective_name):
        raise Refusal("missing_collective",
                      _("集体提案须写明提出提案的界别、党派团体或专门委员会。"))


def _units(p: Proposal, ids: list) -> list[HandlingUnit]:
    units = list(HandlingUnit.objects.filter(body_id=p.body_id, pk__in=ids, is_active=True))
    if len(units) != len(set(ids)):
        raise Refusal("bad_unit", _("所选承办单位不属于本政协或已停用。"))
    return units


def _set_cosigners(p: Proposal, member_ids: list) -> None:
    ids = all_ids(member_ids)
    if ids is None:
        raise Refusal("bad_cosigner", _("联名人须是本届本政协的其他委员。"))
    seats = Member.objects.filter(pk__in=ids, body_id=p.body_id, is_active=True,
                                  term__is_current=True).exclude(pk=p.proposer_id)
    if len(seats) != len(ids):
        raise Refusal("bad_cosigner", _("联名人须是本届本政协的其他委员。"))
    p.cosigners.exclude(member_id__in=ids).filter(
        state__in=[Cosigner.State.INVITED, Cosigner.State.DECLINED]).delete()
    for seat in seats:
        Cosigner.objects.get_or_create(proposal=p, member=seat, defaults={"body_id": p.body_id})


# Handlers live in their own modules, grouped by who acts; importing registers them.
from lvzhi.proposals.actions import handling, proposer, review, supervision  # noqa: E402, F401

__all__ = ["ACTIONS", "WORKFLOW", "Context", "add_attachment", "add_reply_file",
           "allowed_actions", "event_label", "handler", "perform", "reveal_proposer_contact",
           "save_draft"]
