"""The opinion-report workflow (see lvzhi.core.workflow for the engine).

Drafting is `save_draft`; every later change is `perform(report, action, actor, ...)`, or
one of the two office operations built on it: `combine` (several reports adopted as one
combined report) and `publish_issue` (adopted reports published in a numbered issue).
"""

from __future__ import annotations

import copy
import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lvzhi.core import plain
from lvzhi.core.access import actor_for
from lvzhi.core.errors import Refusal
from lvzhi.core.events import record_event
from lvzhi.core.inputs import all_ids
from lvzhi.core.models import Body, Member, User
from lvzhi.core.notifications import Message, notify
from lvzhi.core.workflow import Action, Context, Workflow
from lvzhi.duties.services import record_fact
from lvzhi.opinions.access import office_bodies, reports_for, rules_for
from lvzhi.opinions.models import (
    Delivery,
    Forward,
    Instruction,
    Issue,
    Level,
    OpinionRules,
    Report,
)
from lvzhi.search import index, keywords

S = Report.State
ADOPTED = frozenset({S.ADOPTED, S.PUBLISHED})
LEVEL_ORDER = [Level.DISTRICT, Level.CITY, Level.PROVINCE, Level.NATIONAL]

ACTIONS: dict[str, Action] = {
    "submit": Action(gettext_lazy("提交"), "reporter", frozenset({S.DRAFT, S.RETURNED})),
    "return": Action(gettext_lazy("退回补充"), "office", frozenset({S.SUBMITTED})),
    "not_adopt": Action(gettext_lazy("不予录用"), "office", frozenset({S.SUBMITTED})),
    "keep": Action(gettext_lazy("留存"), "office", frozenset({S.SUBMITTED})),
    "adopt": Action(gettext_lazy("录用"), "office", frozenset({S.SUBMITTED})),
    "adopt_combined": Action(gettext_lazy("综合录用"), "office", frozenset({S.SUBMITTED})),
    "edit": Action(gettext_lazy("编辑录用稿"), "office", frozenset({S.ADOPTED})),
    "set_keywords": Action(gettext_lazy("修改关键词"), "office",
                           frozenset(S.values) - {S.DRAFT, S.RETURNED}),
    "publish": Action(gettext_lazy("编发"), "office", frozenset({S.ADOPTED})),
    "send": Action(gettext_lazy("报送本级领导机关"), "office", ADOPTED),
    "forward": Action(gettext_lazy("上报"), "office", ADOPTED),
    "record_outcome": Action(gettext_lazy("登记上级采用情况"), "office", ADOPTED),
    "instruct": Action(gettext_lazy("登记领导批示"), "office", ADOPTED),
}

ROLES = {
    "reporter": lambda ctx: ctx.obj.reporter_id == ctx.actor.pk,
    "office": lambda ctx: ctx.obj.body_id in office_bodies(ctx.actor),
}

WORKFLOW: Workflow[Report] = Workflow(
    model=Report, actions=ACTIONS, visible=reports_for, rules=lambda r: rules_for(r.body_id),
    roles=ROLES, not_found=gettext_lazy("找不到该信息，或您无权查看。"),
    noun=gettext_lazy("该信息"), event_labels={
        "created": gettext_lazy("起草"), "edited": gettext_lazy("修改"),
        "received": gettext_lazy("收到下级上报"), "combined": gettext_lazy("形成综合稿"),
        "from_speech": gettext_lazy("由大会发言转来"),
        "converted_in": gettext_lazy("由其他事项转为社情民意信息")},
    related=("body", "reporter", "member"),  # who is told and credited: no query each
)
handler = WORKFLOW.handler
allowed_actions = WORKFLOW.allowed_actions


def perform(report: Report | int, name: str, actor: User, /, **params: Any) -> Report:
    return WORKFLOW.perform(report, name, actor, **params)


def today() -> datetime.date:
    return timezone.localdate()


def _tell(report: Report, title: str, text: str = "") -> None:
    """The reporter and co-reporters of the original, wherever the report now is; for a
    combined report, those of each source, each sent to the report they can open: their
    own."""
    for original in [report.original, *_sources(report)]:
        users = [original.reporter] if original.reporter else []
        users += _co_reporters(original)
        notify(users, Message(report.body_id, title, text, original.get_absolute_url()))


def _co_reporters(report: Report) -> list[User]:
    """In plain reads, and none past the first when there are none (most reports): this
    runs inside each decision's transaction, holding the write lock."""
    links = plain.rows(Report.co_reporters.through, report_id=report.pk, order=["id"])
    seats = plain.fill(Member, (links, "member"))
    plain.fill(User, (seats.values(), "user"))
    return [link.member.user for link in links]


def _sources(report: Report) -> list[Report]:
    """A combined report's sources (asked only of one: the others have none)."""
    return list(report.sources.select_related("reporter", "member")) if report.is_combined \
        else []


def _fact(report: Report, kind: str, day: datetime.date | None = None) -> None:
    original = report.original
    for source in [original, *_sources(report)]:
        if source.member_id:
            record_fact(source.member, kind, report, day or today(), {"title": report.title})


def backfill_facts() -> None:
    """Record again, with their dates, the facts of every report (lvzhi duties backfill)."""
    rows = Report.objects.filter(submitted_at__isnull=False).exclude(
        state__in=[S.DRAFT, S.RETURNED]).select_related("body")
    for r in rows.iterator():
        _fact(r, "opinion_submitted", timezone.localdate(r.submitted_at))
        if r.adopted_at and r.state in ADOPTED:
            day = timezone.localdate(r.adopted_at)
            _fact(r, "opinion_adopted", day)
            _fact(r, f"opinion_adopted_{r.body.level}", day)
        for row in r.forwards.filter(adopted=True):
            _fact(r, f"opinion_adopted_{row.level}", row.forwarded_on)
        for row in r.instructions.all():
            _fact(r, f"opinion_instruction_{row.level}", row.date)


# --- drafting -------------------------------------------------------------------------------

DRAFT_FIELDS = ["title", "situation", "analysis", "suggestions", "category", "origin",
                "origin_name"]


def save_draft(actor: User, body: Body, fields: dict[str, Any],
               report: Report | None = None) -> Report:
    """Write a draft (or revise a returned report). Name, unit and mobile come from the
    account: a member's seat and employer, an information officer's unit."""
    actor_info = actor_for(actor)
    if not (actor_info.has_role("member", body.pk) or actor_info.has_role("info_officer",
                                                                           body.pk)):
        raise Refusal("forbidden", _("只有本政协的委员和信息员可以报送社情民意信息。"),
                      status=403)
    rules = rules_for(body.pk)
    _prepare_text(report or Report(body=body), fields)
    with transaction.atomic():
        if report is None:
            member = Member.objects.filter(user=actor, body=body, is_active=True,
                                           term__is_current=True).first()
            role = actor.roles.filter(body=body, kind="info_officer").first()
            report = Report(body=body, reporter=actor, member=member,
                            affiliation=member.employer if member else role.affiliation)
            action = "created"
        else:
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.reporter_id != actor.pk:
                raise Refusal("forbidden", _("只有报送人可以修改。"), status=403)
            if report.state not in (S.DRAFT, S.RETURNED):
                raise Refusal("wrong_state", _("信息已提交，不能再修改。"), status=409)
            action = "edited"
        for name in DRAFT_FIELDS:
            if name in fields:
                setattr(report, name, fields[name] or "")
        report.origin = report.origin or Report.Origin.PERSON
        set_keywords(report, "")  # the reporter types none: from the text as it now is
        check_fields(report, rules, complete=False)
        report.save()
        if "co_reporters" in fields:
            ids = all_ids(fields["co_reporters"])
            if ids is None:
                raise Refusal("bad_co_reporter", _("联名报送人须是本政协的其他委员。"))
            seats = list(Member.objects.filter(pk__in=ids, body=body, is_active=True)
                         .exclude(user=actor))
            if len(seats) != len(ids):
                raise Refusal("bad_co_reporter", _("联名报送人须是本政协的其他委员。"))
            report.co_reporters.set(seats)
        record_event(report, action, actor, to_state=report.state)
    return report


def receive(*, author: Member, actor: User, source: Any, source_label: str, title: str,
            situation: str, analysis: str = "", suggestions: str = "") -> Report:
    """A report made from something else (a proposal the office converted, a plenary
    speech), put straight into the body's queue as submitted, in its author's name and to
    their credit, linked to what it came from. `actor` is the staff member handing it on."""
    body = author.body
    rules = rules_for(body.pk)
    with transaction.atomic():
        report = Report(
            body=body, reporter=author.user, member=author, affiliation=author.employer,
            origin=Report.Origin.PERSON, category=Report.Category.OTHER,
            title=title[:100], situation=situation or title, analysis=analysis,
            suggestions=suggestions or situation or title,
            source_type=ContentType.objects.get_for_model(source), source_id=source.pk,
            source_label=source_label[:160])
        check_fields(report, rules, complete=True)
        set_keywords(report, "")
        report.state, report.submitted_at = S.SUBMITTED, timezone.now()
        report.save()
        record_event(report, "converted_in", actor, to_state=report.state,
                     comment=source_label)
        _fact(report, "opinion_submitted")  # the sender tells the author
    return report


def _prepare_text(report: Report, fields: dict[str, Any]) -> None:
    """Extract the keywords and segment the text as they will be saved, before the
    transaction takes the write lock: the save inside then finds both remembered."""
    preview = copy.copy(report)
    for name in DRAFT_FIELDS:
        if name in fields:
            setattr(preview, name, fields[name] or "")
    set_keywords(preview, "")
    index.warm(preview)


def set_keywords(r: Report, typed: str) -> None:
    """Keywords as typed, tidied; left blank, extracted from the text."""
    r.keywords = keywords.for_field(typed, r.title, r.situation, r.analysis, r.suggestions)


def check_fields(r: Report, rules: OpinionRules, *, complete: bool) -> None:
    length = len(r.situation or "") + len(r.analysis or "") + len(r.suggestions or "")
    if length > rules.text_max:
        raise Refusal("too_long", _("正文不能超过 %(n)s 字（现有 %(m)s 字）。")
                      % {"n": rules.text_max, "m": length})
    if len(r.title or "") > 100:
        raise Refusal("title_too_long", _("标题不能超过 100 字。"))
    if r.category and r.category not in Report.Category.values:
        raise Refusal("bad_category", _("请选择有效的类别。"))
    if r.origin != Report.Origin.PERSON and not (r.origin_name or "").strip():
        raise Refusal("missing_origin_name", _("以专门委员会或党派团体名义报送时，请写明名称。"))
    if not complete:
        return
    for name, label in (("title", _("标题")), ("situation", _("情况反映")),
                        ("suggestions", _("意见建议")), ("category", _("类别"))):
        if not (getattr(r, name) or "").strip():
            raise Refusal(f"missing_{name}", _("请填写“%(part)s”。") % {"part": label})


# --- handlers ---------------------------------------------------------------------------------

@handler("submit")
def submit(ctx: Context) -> None:
    r = ctx.obj
    check_fields(r, ctx.rules, complete=True)
    r.state, r.submitted_at = S.SUBMITTED, timezone.now()
    r.save(update_fields=["state", "submitted_at"])
    _fact(r, "opinion_submitted")


def _decide(ctx: Context, state: str, title: str, *, reason_required: bool) -> None:
    r = ctx.obj
    r.decision_note = (ctx.text("comment", _("请写明理由，报送人会看到。")) if reason_required
                       else str(ctx.params.get("comment") or ""))
    r.state = state
    r.save(update_fields=["state", "decision_note"])
    _tell(r, title, r.decision_note)


@handler("return")
def return_for_detail(ctx: Context) -> None:
    _decide(ctx, S.RETURNED, _("您的信息被退回补充"), reason_required=True)


@handler("not_adopt")
def not_adopt(ctx: Context) -> None:
    _decide(ctx, S.NOT_ADOPTED, _("您的信息未录用"), reason_required=True)


@handler("keep")
def keep(ctx: Context) -> None:
    _decide(ctx, S.KEPT, _("您的信息已留存"), reason_required=True)


def _adopt(ctx: Context, how: str) -> None:
    r = ctx.obj
    r.state, r.adopted_as, r.adopted_at = S.ADOPTED, how, timezone.now()
    r.edited_title = r.edited_title or r.title
    r.edited_text = r.edited_text or r.written_text
    r.save(update_fields=["state", "adopted_as", "adopted_at", "edited_title", "edited_text"])
    ctx.data["adopted_as"] = how
    _fact(r, "opinion_adopted")
    if r.forwarded_from_id:  # adopted again at a higher level
        _fact(r, f"opinion_adopted_{r.body.level}")
    _tell(r, _("您的信息已被%(body)s录用") % {"body": r.body.short_name}, r.title)


@handler("adopt")
def adopt(ctx: Context) -> None:
    _adopt(ctx, Report.AdoptedAs.SINGLE)


# Taken only as a step of `combine` and `publish_issue`, which pass the rows they made;
# no page or API call names them.
INTERNAL_ACTIONS = frozenset({"adopt_combined", "publish"})


@handler("adopt_combined")
def adopt_combined(ctx: Context) -> None:
    """Adopted as a part of a combined report (`combine` makes that report)."""
    into = ctx.param("into")
    ctx.obj.combined_in.add(into)
    ctx.data["into"] = getattr(into, "pk", into)
    _adopt(ctx, Report.AdoptedAs.COMBINED)


@handler("edit")
def edit(ctx: Context) -> None:
    r = ctx.obj
    r.edited_title = ctx.text("title", _("请填写标题。"))
    r.edited_text = ctx.text("text", _("请填写正文。"))
    r.save(update_fields=["edited_title", "edited_text"])


@handler("set_keywords")
def keywords_(ctx: Context) -> None:
    """The office corrects the keywords (left blank: extracted again from the text)."""
    r = ctx.obj
    set_keywords(r, str(ctx.params.get("keywords") or ""))
    r.save(update_fields=["keywords"])
    ctx.data["keywords"] = r.keywords


@handler("publish")
def publish(ctx: Context) -> None:
    r, issue = ctx.obj, ctx.param("issue")
    r.issue, r.state = issue, S.PUBLISHED
    r.save(update_fields=["issue", "state"])
    ctx.data["issue"] = issue.pk
    for source in r.sources.all():  # a combined report's sources appear in it too
        Report.objects.filter(pk=source.pk).update(issue=issue, state=S.PUBLISHED)
        record_event(source, "publish", ctx.actor, from_state=source.state,
                     to_state=S.PUBLISHED, data={"issue": issue.pk, "combined": r.pk})
    _tell(r, _("您的信息已编入%(issue)s") % {"issue": issue}, r.edited_title or r.title)


# The usual recipients at a body's own level; the office may type others.
RECIPIENTS = ["党委", "政府", "党委办公室", "政府办公室"]  # not translated: stored as typed


@handler("send")
def send(ctx: Context) -> None:
    r = ctx.obj
    names = ctx.params.get("recipients") or []
    names = [n.strip() for n in ([names] if isinstance(names, str) else names) if n.strip()]
    if not names:
        raise Refusal("missing_recipients", _("请选择或填写报送对象。"))
    new = [n for n in names if not r.deliveries.filter(recipient=n).exists()]
    if not new:
        raise Refusal("already_sent", _("已报送过这些对象。"), status=409)
    for name in new:
        Delivery.objects.create(body_id=r.body_id, report=r, recipient=name[:60],
                                sent_on=today())
    ctx.data["recipients"] = new


@handler("forward")
def forward(ctx: Context) -> None:
    r = ctx.obj
    level = ctx.param("level", _("请选择上报层级。"))
    own = LEVEL_ORDER.index(r.body.level)
    if level not in Level.values or LEVEL_ORDER.index(level) <= own:
        raise Refusal("bad_level", _("只能向更高层级上报。"))
    if r.forwards.filter(level=level).exists():
        raise Refusal("already_forwarded", _("已向该层级上报过。"), status=409)
    Forward.objects.create(body_id=r.body_id, report=r, level=level, forwarded_on=today())
    ctx.data["level"] = level
    if level == Level.CITY:
        _copy_to_parent(r)


def _copy_to_parent(r: Report) -> None:
    """A district report forwarded to the city lands in the city's queue as a new report,
    which the city's office may adopt again."""
    parent = r.body.parent
    if parent is None:
        raise Refusal("no_parent", _("本政协没有上级政协。"))
    copy = Report.objects.create(
        body=parent, reporter=r.original.reporter, affiliation=r.original.affiliation,
        origin=r.origin, origin_name=r.origin_name or r.body.short_name,
        state=S.SUBMITTED, submitted_at=timezone.now(), title=r.edited_title or r.title,
        situation=r.edited_text or r.written_text, suggestions=r.suggestions,
        category=r.category, forwarded_from=r)
    record_event(copy, "received", None, to_state=copy.state, data={"from": r.pk})


@handler("record_outcome")
def record_outcome(ctx: Context) -> None:
    r = ctx.obj
    level = ctx.param("level", _("请选择层级。"))
    row = r.forwards.filter(level=level).exclude(level=Level.CITY).first()
    if row is None:
        raise Refusal("not_forwarded", _("尚未向该层级上报。"), status=409)
    row.adopted = str(ctx.params.get("adopted")).lower() in ("1", "true", "on", "yes")
    row.outcome = str(ctx.params.get("comment") or "")
    row.save(update_fields=["adopted", "outcome"])
    ctx.data.update(level=level, adopted=row.adopted)
    if row.adopted:
        _fact(r, f"opinion_adopted_{level}")
        _tell(r, _("您的信息被%(level)s采用") % {"level": Level(level).label}, row.outcome)


@handler("instruct")
def instruct(ctx: Context) -> None:
    r = ctx.obj
    level = ctx.param("level", _("请选择批示领导的层级。"))
    if level not in Level.values:
        raise Refusal("bad_level", _("请选择批示领导的层级。"))
    try:
        on = datetime.date.fromisoformat(str(ctx.param("date", _("请填写批示日期。"))))
    except ValueError:
        raise Refusal("bad_date", _("批示日期格式不正确。")) from None
    if on > today():
        raise Refusal("future_date", _("批示日期不能晚于今天。"))
    row = Instruction.objects.create(
        body_id=r.body_id, report=r, level=level, date=on,
        leader=ctx.text("leader", _("请填写批示领导。")),
        text=ctx.text("text", _("请填写批示内容。")))
    ctx.data.update(instruction=row.pk, level=level)
    _fact(r, f"opinion_instruction_{level}")
    _tell(r, _("您的信息获%(leader)s批示") % {"leader": row.leader}, row.text)


# --- office operations over several reports ---------------------------------------------------

def combine(sources: list[Report], actor: User, title: str, text: str) -> Report:
    """Adopt several submitted reports as one combined report; each keeps its credit."""
    if len(sources) < 2:
        raise Refusal("too_few", _("综合稿至少需要两篇信息。"))
    bodies = {s.body_id for s in sources}
    if len(bodies) != 1 or not bodies <= office_bodies(actor):
        raise Refusal("forbidden", _("只能综合本政协的信息。"), status=403)
    if not title.strip() or not text.strip():
        raise Refusal("missing_text", _("请填写综合稿的标题和正文。"))
    with transaction.atomic():
        first = sources[0]
        combined = Report.objects.create(
            body_id=first.body_id, state=S.ADOPTED, is_combined=True, title=title,
            situation=text, suggestions="", category=first.category,
            adopted_as=Report.AdoptedAs.COMBINED, adopted_at=timezone.now(),
            submitted_at=timezone.now(), edited_title=title, edited_text=text,
            keywords=keywords.for_field("", title, text))
        record_event(combined, "combined", actor, to_state=combined.state,
                     data={"sources": [s.pk for s in sources]})
        for source in sources:
            perform(source, "adopt_combined", actor, into=combined)
    return combined


def publish_issue(body: Body, actor: User, reports: list[Report], editor: User,
                  signer: User) -> Issue:
    """Number the next issue of the year and publish the adopted reports in it."""
    if body.pk not in office_bodies(actor):
        raise Refusal("forbidden", _("您无权编发本政协的刊物。"), status=403)
    if not reports:
        raise Refusal("empty_issue", _("请选择要编入本期的信息。"))
    for person in (editor, signer):
        if not (actor_for(person).has_role("staff", body.pk)
                or actor_for(person).has_role("leader", body.pk)):
            raise Refusal("bad_signer", _("核稿人和签发人须是本政协的机关干部或领导。"))
    if editor.pk == signer.pk and not rules_for(body.pk).one_person_edits_and_signs:
        raise Refusal("same_signer", _("核稿人和签发人须是不同的人。"))
    with transaction.atomic():
        Body.objects.select_for_update().get(pk=body.pk)  # one numbering at a time
        year = today().year
        last = Issue.objects.filter(body=body, year=year).aggregate(n=Max("number"))["n"] or 0
        issue = Issue.objects.create(body=body, year=year, number=last + 1, editor=editor,
                                     signer=signer, published_on=today())
        for report in reports:
            if report.body_id != body.pk:
                raise Refusal("other_body", _("只能编入本政协录用的信息。"))
            if report.adopted_as == Report.AdoptedAs.COMBINED and not report.is_combined:
                raise Refusal("part_of_combined", _("“%(title)s”已编入综合稿，请编发综合稿。")
                              % {"title": report.title})
            perform(report, "publish", actor, issue=issue)
    return issue
