"""Every change in democratic supervision: topics and groups (services with refusals in
Chinese), problems reported, and the office's decisions on each problem through the one
workflow entry point (core.workflow). An accepted problem becomes a rectification item in
the ledgers (`ledgers.services.rectification_item`), which then follows the ledgers' own
actions: the unit reports measures and progress with evidence, asks for more time, and the
office closes it (销号) or sends it back."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import workdays
from lvzhi.core.attachments import attach, check_upload
from lvzhi.core.errors import Refusal, refuse_fields
from lvzhi.core.events import record_event
from lvzhi.core.inputs import to_date, to_int
from lvzhi.core.models import Body, HandlingUnit, Member, User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.workflow import Action, Context, Workflow
from lvzhi.duties.models import Expert
from lvzhi.duties.services import record_fact
from lvzhi.ledgers import services as ledgers
from lvzhi.ledgers.models import Task
from lvzhi.supervision import access, rules
from lvzhi.supervision.models import (
    GroupMember,
    Problem,
    Supervisor,
    SupervisorReport,
    Topic,
)

P = Problem.State
TOPIC_EVENTS = {"created": gettext_lazy("列入监督计划"), "group": gettext_lazy("调整监督小组"),
                "report_sent": gettext_lazy("报送监督报告")}


def _office(user: Any, body_id: int) -> None:
    if body_id not in access.managing(user):
        raise Refusal("forbidden", _("只有本政协的机关干部可以管理民主监督。"), status=403)


# --- the plan and the groups -------------------------------------------------------------------

def create_topic(actor: User, body: Body, values: dict[str, Any]) -> Topic:
    _office(actor, body.pk)
    errors = {}
    title = str(values.get("title") or "").strip()
    if not title:
        errors["title"] = ("missing_title", _("请填写监督议题。"))
    if not values.get("form"):
        errors["form"] = ("missing_form", _("请选择监督形式。"))
    elif values.get("form") not in rules.forms_for(body.pk):
        errors["form"] = ("bad_form", _("请选择本政协设定的监督形式。"))
    units = list(HandlingUnit.objects.filter(body=body, pk__in=values.get("units") or []))
    start, end = values.get("starts_on"), values.get("ends_on")
    if start and end and end < start:
        errors["ends_on"] = ("bad_ends_on", _("结束日期不能早于开始日期。"))
    refuse_fields(errors)
    with transaction.atomic():
        topic = Topic.objects.create(
            body=body, year=values.get("year") or timezone.localdate().year, title=title[:120],
            form=values["form"], starts_on=start, ends_on=end,
            committee_id=values.get("committee"), issuers=str(values.get("issuers") or "")[:200])
        topic.units.set(units)
        record_event(topic, "created", actor)
    return topic


def add_to_group(actor: User, topic: Topic, members: list[Member], leader: bool = False,
                 experts: list[Expert] | None = None) -> int:
    """Members of the body, and outside experts of its pool (特邀专家), join the group; a
    member's membership is a duty fact."""
    _office(actor, topic.body_id)
    experts = experts or []
    if not members and not experts:
        raise Refusal("missing_members", _("请填写要加入监督小组的委员或特邀专家姓名。"))
    if any(m.body_id != topic.body_id for m in members) or any(
            e.body_id != topic.body_id or e.member_id for e in experts):
        raise Refusal("other_body", _("只能选择本政协的委员和人才库中的特邀专家。"))
    added = 0
    with transaction.atomic():
        for m in members:
            row, created = GroupMember.objects.get_or_create(
                topic=topic, member=m, defaults={"body_id": topic.body_id, "is_leader": leader})
            added += created
            record_fact(m, "supervision_group", row, timezone.localdate(),
                        {"title": topic.title})
        for e in experts:
            _row, created = GroupMember.objects.get_or_create(
                topic=topic, expert=e, defaults={"body_id": topic.body_id, "is_leader": leader})
            added += created
        record_event(topic, "group", actor, data={
            "members": [m.pk for m in members], "experts": [e.name for e in experts],
            "leader": leader})
    return added


def send_report(actor: User, topic: Topic, recommendations: str, report_to: str) -> Topic:
    """The group's recommendations and to whom the report went (市委、市政府), recorded."""
    _office(actor, topic.body_id)
    errors = {}
    if not recommendations.strip():
        errors["recommendations"] = ("missing_recommendations", _("请填写意见建议。"))
    if not report_to.strip():
        errors["report_to"] = ("missing_report_to", _("请填写报送单位。"))
    refuse_fields(errors)
    with transaction.atomic():
        topic.recommendations = recommendations.strip()[:4000]
        topic.report_to, topic.report_sent_on = report_to.strip()[:100], timezone.localdate()
        topic.save(update_fields=["recommendations", "report_to", "report_sent_on"])
        record_event(topic, "report_sent", actor, data={"to": topic.report_to})
    return topic


# --- democratic supervisors (民主监督员) ---------------------------------------------------------

def appoint(actor: User, body: Body, values: dict[str, Any]) -> Supervisor:
    _office(actor, body.pk)
    errors = {}
    member = Member.objects.filter(body=body, is_active=True,
                                   user__full_name=str(values.get("name") or "").strip()).first()
    if member is None:
        errors["name"] = ("bad_name", _("请填写本政协委员的姓名。"))
    unit = HandlingUnit.objects.filter(body=body, pk=to_int(values.get("unit"))).first()
    if unit is None:
        errors["unit"] = ("missing_unit", _("请选择监督单位。"))
    start, end = to_date(values.get("starts_on")), to_date(values.get("ends_on"))
    if start is None or end is None or end <= start:
        errors["ends_on"] = ("bad_ends_on", _("请填写聘任起止日期（结束晚于开始）。"))
    refuse_fields(errors)
    with transaction.atomic():
        row = Supervisor.objects.create(body=body, member=member, unit=unit, starts_on=start,
                                        ends_on=end)
        record_event(row, "appointed", actor, data={"unit": unit.pk})
    return row


def supervisor_report(actor: User, supervisor: Supervisor, text: str) -> SupervisorReport:
    """The supervisor's opinion on the department: the unit is told; a duty fact."""
    if supervisor.member.user_id != actor.pk:
        raise Refusal("forbidden", _("只有该民主监督员本人可以提出监督意见。"), status=403)
    if len(text.strip()) < 5:
        raise Refusal("missing_text", _("请填写监督意见（至少5个字）。"))
    with transaction.atomic():
        row = SupervisorReport.objects.create(body_id=supervisor.body_id, supervisor=supervisor,
                                              text=text.strip()[:2000])
        record_event(supervisor, "report", actor, data={"report": row.pk})
        record_fact(supervisor.member, "supervisor_report", row, timezone.localdate(),
                    {"title": text.strip()[:60]})
        notify(_unit_handlers(supervisor.unit_id), Message(
            supervisor.body_id, _("民主监督员意见：%(u)s") % {"u": supervisor.unit.name},
            text[:200], supervisor.get_absolute_url()))
    return row


def feedback(actor: User, report: SupervisorReport, text: str) -> SupervisorReport:
    """The department answers a supervisor's opinion, once."""
    from lvzhi.core.access import actor_for

    if report.supervisor.unit_id not in actor_for(actor).handling_units:
        raise Refusal("forbidden", _("只有被监督单位的承办人员可以反馈。"), status=403)
    if report.feedback_at is not None:
        raise Refusal("already", _("该意见已经反馈过。"), status=409)
    if not text.strip():
        raise Refusal("missing_feedback", _("请填写反馈内容。"))
    with transaction.atomic():
        report.feedback, report.feedback_at = text.strip()[:2000], timezone.now()
        report.feedback_by = actor
        report.save(update_fields=["feedback", "feedback_at", "feedback_by"])
        record_event(report.supervisor, "feedback", actor, data={"report": report.pk})
        notify([report.supervisor.member.user], Message(
            report.body_id, _("监督意见已有反馈：%(u)s") % {"u": report.supervisor.unit.name},
            text[:200], report.get_absolute_url()))
    return report


def _unit_handlers(unit_id: int):
    from lvzhi.core.models import Role, RoleKind

    return User.objects.filter(pk__in=Role.objects.filter(
        kind=RoleKind.UNIT_HANDLER, handling_unit_id=unit_id).values("user_id"))


# --- problems ----------------------------------------------------------------------------------

def report_problem(actor: User, body: Body, values: dict[str, Any], photos: list,
                   topic: Topic | None = None) -> Problem:
    """委员微监督 from a phone (no topic), or a finding of a topic's group or the office."""
    seat = Member.objects.filter(user=actor, body=body, is_active=True).first()
    in_group = topic is not None and topic.group.filter(member__user=actor).exists()
    if topic is None and seat is None:
        raise Refusal("forbidden", _("只有本政协的委员可以反映问题。"), status=403)
    if topic is not None and not in_group and body.pk not in access.managing(actor):
        raise Refusal("forbidden", _("只有监督小组成员和机关干部可以填写问题清单。"), status=403)
    errors = {}
    text = str(values.get("description") or "").strip()
    if len(text) < 5:
        errors["description"] = ("missing_description", _("请写明发现的问题（至少5个字）。"))
    if len(photos) > 9:
        errors["photos"] = ("bad_photos", _("照片最多9张。"))
    refuse_fields(errors)
    for upload in photos:
        check_upload(upload)
    with transaction.atomic():
        problem = Problem.objects.create(
            body=body, topic=topic, description=text[:2000],
            place=str(values.get("place") or "").strip()[:120],
            unit=HandlingUnit.objects.filter(body=body, pk=to_int(values.get("unit"))).first(),
            reporter=seat if topic is None or in_group else None, written_by=actor)
        for upload in photos:
            attach(problem, upload, actor)
        record_event(problem, "created", actor, to_state=problem.state)
    return problem


def _manages(ctx: Context) -> bool:
    return ctx.obj.body_id in access.managing(ctx.actor)


PROBLEM = Workflow(
    model=Problem, visible=access.problems_for, rules=lambda p: ledgers.rules_for(p.body_id),
    roles={"office": _manages},
    actions={
        "accept": Action(gettext_lazy("列入整改"), "office", frozenset({P.REPORTED})),
        "decline": Action(gettext_lazy("不予采纳"), "office", frozenset({P.REPORTED})),
        "mark_party": Action(gettext_lazy("登记列入党委督办台账"), "office",
                             frozenset({P.ACCEPTED})),
    },
    not_found=gettext_lazy("找不到该问题，或您无权查看。"), noun=gettext_lazy("该问题"),
    event_labels={"created": gettext_lazy("提出问题")}, related=("topic", "reporter"),
)


@PROBLEM.handler("accept")
def _accept(ctx: Context) -> None:
    """Into a topic's problem list with its unit, severity and deadline: a rectification
    item for the unit; the reporter's (a member's) adopted problem is a duty fact."""
    p = ctx.obj
    errors = {}
    topic = p.topic or Topic.objects.filter(body_id=p.body_id,
                                            pk=to_int(ctx.params.get("topic"))).first()
    if topic is None:
        errors["topic"] = ("missing_topic", _("请选择列入的监督议题。"))
    unit = HandlingUnit.objects.filter(body_id=p.body_id,
                                       pk=to_int(ctx.params.get("unit")) or p.unit_id).first()
    if unit is None:
        errors["unit"] = ("missing_unit", _("请选择责任单位。"))
    due = _due(ctx.params, errors)
    severity = str(ctx.params.get("severity") or p.severity)
    if severity not in Problem.Severity.values:
        errors["severity"] = ("bad_severity", _("请选择严重程度。"))
    refuse_fields(errors)
    p.topic, p.unit, p.severity, p.state = topic, unit, severity, P.ACCEPTED
    p.item = ledgers.rectification_item(ctx.actor, p.body_id, p.description[:200], unit.pk,
                                        due, _("完成整改并报告（%(t)s）") % {"t": topic.title[:60]})
    p.save()
    if p.reporter_id:
        record_fact(p.reporter, "supervision_problem", p, timezone.localdate(),
                    {"title": p.description[:60]})
    ctx.data.update({"item": p.item_id, "unit": unit.pk, "due_on": str(due)})


LIMIT_UNITS = {"workdays": gettext_lazy("个工作日"), "months": gettext_lazy("个月")}


def _due(params: dict, errors: dict) -> datetime.date | None:
    """整改期限 as a date, or as a period from today the way proposals count theirs: N
    working days by the official calendar, or N calendar months moved on to a working day."""
    today = timezone.localdate()
    if str(params.get("due_on") or "").strip():
        due = to_date(params.get("due_on"))
        if due is None or due <= today:
            errors["due_on"] = ("bad_due_on", _("整改期限须是今天以后的日期。"))
        return due
    limit = to_int(params.get("limit"), maximum=999)
    unit = params.get("limit_unit") or "workdays"
    if not limit or unit not in LIMIT_UNITS or (unit == "months" and limit > 36):
        errors["limit"] = ("bad_limit", _("请填写整改期限：截止日期，或多少个工作日、多少个月。"))
        return None
    return workdays.add_workdays(today, limit) if unit == "workdays" else \
        workdays.add_months(today, limit)


@PROBLEM.handler("decline")
def _decline(ctx: Context) -> None:
    ctx.obj.reason = ctx.text("reason", _("请填写不予采纳的理由。"))[:200]
    ctx.obj.state = P.DECLINED
    ctx.obj.save(update_fields=["reason", "state"])


@PROBLEM.handler("mark_party")
def _mark_party(ctx: Context) -> None:
    """Entered into the party committee's supervised ledger: its reference and date, and
    its own deadline if it sets one — a time node on the item, so the platform reminds and
    reports on it there too until the item is closed."""
    errors = {}
    ref = str(ctx.params.get("party_ref") or "").strip()
    if not ref:
        errors["party_ref"] = ("missing_party_ref", _("请填写党委督办台账的编号。"))
    today = timezone.localdate()
    day = to_date(ctx.params.get("party_on"))
    if day is None or day > today:
        errors["party_on"] = ("bad_party_on", _("请填写列入日期（不晚于今天）。"))
    due = to_date(ctx.params.get("party_due"))
    if str(ctx.params.get("party_due") or "").strip() and (due is None or due <= today):
        errors["party_due"] = ("bad_party_due", _("督办期限须是今天以后的日期。"))
    refuse_fields(errors)
    p = ctx.obj
    p.party_ref, p.party_on, p.party_due = ref[:60], day, due
    p.save(update_fields=["party_ref", "party_on", "party_due"])
    if due and p.item and p.item.state == Task.State.OPEN:
        ledgers.add_milestone(ctx.actor, p.item, due,
                              _("党委督办台账期限（%(r)s）") % {"r": p.party_ref})
    ctx.data.update({"party_ref": p.party_ref, "party_due": str(due or "")})
