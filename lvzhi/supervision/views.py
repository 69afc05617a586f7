"""民主监督 pages: the year's topics (the office adds them), a topic with its group and
problem list, a member's micro-supervision report from a phone, a problem with the office's
decision. Rectification items are ledger tasks: their own pages are in the ledgers."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.access import bodies_with
from lvzhi.core.attachments import attachments_of
from lvzhi.core.errors import Refusal, refill
from lvzhi.core.events import history
from lvzhi.core.inputs import to_date, to_ids, to_int, to_year
from lvzhi.core.models import Body, HandlingUnit, Member, SpecialCommittee
from lvzhi.core.responses import pdf_response, xlsx_response
from lvzhi.duties.models import Expert
from lvzhi.ledgers import services as ledgers
from lvzhi.ledgers.models import Task
from lvzhi.supervision import access, plans, reports, rules, workflow
from lvzhi.supervision import groups as supervision_groups
from lvzhi.supervision.models import Problem, Topic


def _office_body(request: HttpRequest) -> Body | None:
    managed = access.managing(request.user)
    return Body.objects.filter(pk__in=managed).order_by("level", "pk").first()


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Staff and leaders: the year's topics, the micro-supervision queue; a member: their
    groups' topics and the problems they reported; the office adds topics."""
    year = to_year(request.GET.get("year")) or timezone.localdate().year
    readable = bodies_with(request.user, "supervision.read_all")
    seats = Member.objects.filter(user=request.user, is_active=True)
    if not readable and not seats.exists():
        raise Http404
    body = _office_body(request)
    posted: Any = request.POST if request.method == "POST" else None
    errors: dict[str, str] = {}
    status = 200
    if posted is not None:
        if body is None:
            raise Http404
        try:
            topic = workflow.create_topic(request.user, body, {
                "title": posted.get("title"), "form": posted.get("form"), "year": year,
                "units": to_ids(posted.getlist("units")),
                "committee": to_int(posted.get("committee")) if SpecialCommittee.objects
                .filter(body=body, pk=to_int(posted.get("committee"))).exists() else None,
                "starts_on": to_date(posted.get("starts_on")),
                "ends_on": to_date(posted.get("ends_on")), "issuers": posted.get("issuers")})
        except Refusal as refusal:
            errors, status = refusal.fields or {"title": refusal.message}, refusal.status
        else:
            messages.success(request, _("已列入本年度民主监督计划。"))
            return redirect(topic.get_absolute_url())
    topics = access.topics_for(request.user).filter(year=year).select_related("committee")
    problems = access.problems_for(request.user)
    party = bool(request.GET.get("party"))
    return render(request, "supervision/home.html", {
        "items": _items(problems.filter(body_id__in=readable), year, party) if readable
        else [], "party": party,
        "year": year, "topics": topics, "office": body, "posted": posted, "errors": errors,
        "forms": rules.forms_for(body.pk) if body else [],
        "units": HandlingUnit.objects.filter(body=body) if body else [],
        "committees": SpecialCommittee.objects.filter(body=body) if body else [],
        "queue": problems.filter(topic__isnull=True, state=Problem.State.REPORTED,
                                 body_id__in=readable).select_related("reporter__user")[:50],
        "mine": problems.filter(reporter__user=request.user).select_related("topic")[:20],
        "is_member": seats.exists(), "reader": bool(readable),
        "posts": access.supervisors_for(request.user).filter(member__user=request.user)
        .select_related("unit")}, status=status)


def _topic(request: HttpRequest, pk: int) -> Topic:
    topic = access.topics_for(request.user).filter(pk=pk).first()
    if topic is None:
        raise Http404
    return topic


@login_required
def topic(request: HttpRequest, pk: int, *, status: int = 200,
          error: Refusal | None = None) -> HttpResponse:
    t = _topic(request, pk)
    office = t.body_id in access.managing(request.user)
    problems = list(t.problems.select_related("unit", "reporter__user", "item"))
    for p in problems:
        p.item_status = ledgers.status(p.item) if p.item_id else None
    return render(request, "supervision/topic.html", {
        "t": t, "office": office, "problems": problems,
        "group": t.group.select_related("member__user", "expert"),
        "activities": supervision_groups.activities_of(t),
        "activities_url": reverse("activities:manage"),
        "can_write": office or t.group.filter(member__user=request.user).exists(),
        "units": HandlingUnit.objects.filter(body_id=t.body_id),
        "labels": ledgers.STATUS_LABELS, "severities": Problem.Severity.choices,
        "error": error, "posted": request.POST if error else {},
        "events": [(e, workflow.TOPIC_EVENTS.get(e.action, e.action)) for e in history(t)],
    }, status=status)


def _people(t: Topic, typed: str) -> tuple[list[Member], list[Expert]]:
    """Names as typed (、 or ，between them): the body's members, then the outside experts
    of its pool; a name that is neither is refused with the others, nothing added."""
    names = [n.strip() for n in typed.replace("，", "、").replace(",", "、").split("、")
             if n.strip()][:50]
    members = list(Member.objects.filter(body_id=t.body_id, is_active=True,
                                         user__full_name__in=names))
    experts = list(Expert.objects.filter(body_id=t.body_id, member__isnull=True,
                                         name__in=names))
    known = {m.user.full_name for m in members} | {e.name for e in experts}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise Refusal("bad_names", _("找不到：%(n)s（须是本政协的委员或人才库中的特邀专家）")
                      % {"n": "、".join(unknown)})
    return members, experts


@login_required
@require_POST
def topic_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    t = _topic(request, pk)
    try:
        if name == "group":
            members, experts = _people(t, request.POST.get("names", ""))
            n = workflow.add_to_group(request.user, t, members,
                                      leader=bool(request.POST.get("leader")),
                                      experts=experts)
            message = _("已加入监督小组 %(n)s 人。") % {"n": n}
        elif name == "report":
            workflow.send_report(request.user, t, request.POST.get("recommendations", ""),
                                 request.POST.get("report_to", ""))
            message = _("监督报告已报送并记录。")
        elif name == "problem":
            workflow.report_problem(request.user, t.body, request.POST,
                                    request.FILES.getlist("photos"), topic=t)
            message = _("问题已列入问题清单，待机关处理。")
        else:
            raise Http404
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
        return topic(request, pk, status=refusal.status, error=refusal)
    messages.success(request, message)
    return redirect(t.get_absolute_url())


def _items(problems: QuerySet, year: int, party: bool) -> list[Problem]:
    """The year's rectification items with how each stands, overdue first (the office's
    board); `party`: only those in the party committee's supervised ledger."""
    rows = problems.filter(topic__year=year, item__isnull=False).select_related(
        "unit", "topic", "item")
    if party:
        rows = rows.exclude(party_ref="")
    rows = list(rows[:200])
    ids = [p.item_id for p in rows]
    status_of = ledgers.statuses(Task.objects.filter(pk__in=ids))
    due = ledgers.last_dues(ids)
    for p in rows:
        p.item_status, p.item_due = status_of[p.item_id], due.get(p.item_id)
    order = {ledgers.BEHIND: 0, ledgers.ON_TIME: 1}
    last = datetime.date.max
    return sorted(rows, key=lambda p: (order.get(p.item_status, 2), p.item_due or last))


@login_required
def report(request: HttpRequest) -> HttpResponse:
    """委员微监督: a member reports a problem from a phone, with photos."""
    seats = list(Member.objects.filter(user=request.user, is_active=True,
                                       term__is_current=True).select_related("body"))
    if not seats:
        raise Http404
    seat = next((s for s in seats if s.pk == to_int(request.POST.get("seat"))), seats[0])
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        try:
            problem = workflow.report_problem(request.user, seat.body, request.POST,
                                              request.FILES.getlist("photos"))
        except Refusal as refusal:
            errors, status = refusal.fields or {"description": refusal.message}, refusal.status
        else:
            messages.success(request, _("已收到您反映的问题，机关处理后会通知您。"))
            return redirect(problem.get_absolute_url())
    return render(request, "supervision/report.html", {
        "seats": seats, "errors": errors, "posted": request.POST if errors else {},
        "units": HandlingUnit.objects.filter(body=seat.body)}, status=status)


@login_required
def problem(request: HttpRequest, pk: int, *, error: Refusal | None = None) -> HttpResponse:
    p = access.problems_for(request.user).select_related(
        "topic", "unit", "reporter__user", "item").filter(pk=pk).first()
    if p is None:
        raise Http404
    return render(request, "supervision/problem.html", {
        "p": p, "photos": attachments_of(p),
        "actions": workflow.PROBLEM.allowed_actions(p, request.user),
        "topics": Topic.objects.filter(body_id=p.body_id, year__gte=timezone.localdate().year - 1),
        "units": HandlingUnit.objects.filter(body_id=p.body_id),
        "severities": Problem.Severity.choices,
        "item_status": ledgers.status(p.item) if p.item_id else None,
        "labels": ledgers.STATUS_LABELS, "limit_units": workflow.LIMIT_UNITS.items(),
        **refill(error, ("", request.POST) if error else None),
        "events": [(e, workflow.PROBLEM.event_label(e.action)) for e in history(p)],
    }, status=error.status if error else 200)


@login_required
@require_POST
def problem_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in workflow.PROBLEM.actions:
        raise Http404
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        workflow.PROBLEM.perform(pk, name, request.user, **params)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
        return problem(request, pk, error=refusal)
    messages.success(request, _("已完成：%(a)s。") % {"a": workflow.PROBLEM.actions[name].label})
    return redirect(reverse("supervision:problem", args=[pk]))


@login_required
def topic_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    t = _topic(request, pk)
    return pdf_response(reports.topic_pdf(t, t.recommendations),
                        _("%(title)s监督报告") % {"title": t.title} + ".pdf")


def _scope(request: HttpRequest) -> tuple[Body, int]:
    readable = bodies_with(request.user, "supervision.read_all")
    if not readable:
        raise Http404
    body = Body.objects.filter(pk__in=readable).order_by("level", "pk").first()
    return body, to_year(request.GET.get("year")) or timezone.localdate().year


@login_required
def figures(request: HttpRequest) -> HttpResponse:
    """Per topic and per unit: problems, and items rectified on time, late or open."""
    body, year = _scope(request)
    by_topic, by_unit = reports.figures(body.pk, year)
    return render(request, "supervision/figures.html", {
        "body": body, "year": year, "by_topic": by_topic, "by_unit": by_unit})


@login_required
def figures_xlsx(request: HttpRequest) -> HttpResponse:
    body, year = _scope(request)
    return xlsx_response(reports.workbook(body.pk, year),
                         _("%(body)s%(year)s年民主监督统计") % {
                             "body": body.short_name, "year": year} + ".xlsx")


@login_required
def supervisors(request: HttpRequest) -> HttpResponse:
    """民主监督员: who is appointed to which department; the office appoints."""
    rows = access.supervisors_for(request.user).select_related("member__user", "unit")
    body = _office_body(request)
    if not rows.exists() and body is None and not bodies_with(request.user,
                                                              "supervision.read_all"):
        raise Http404
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if body is None:
            raise Http404
        try:
            row = workflow.appoint(request.user, body, request.POST)
        except Refusal as refusal:
            errors, status = refusal.fields or {"name": refusal.message}, refusal.status
        else:
            messages.success(request, _("已聘任民主监督员。"))
            return redirect(row.get_absolute_url())
    return render(request, "supervision/supervisors.html", {
        "rows": rows, "office": body, "errors": errors,
        "posted": request.POST if errors else {},
        "units": HandlingUnit.objects.filter(body=body) if body else []}, status=status)


@login_required
def supervisor(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    row = access.supervisors_for(request.user).select_related("member__user", "unit")\
        .filter(pk=pk).first()
    if row is None:
        raise Http404
    from lvzhi.core.access import actor_for
    return render(request, "supervision/supervisor.html", {
        "s": row, "reports": row.reports.select_related("feedback_by"),
        "is_self": row.member.user_id == request.user.pk,
        "is_unit": row.unit_id in actor_for(request.user).handling_units,
        "posted": request.POST if status >= 400 else {}}, status=status)


@login_required
@require_POST
def supervisor_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    row = access.supervisors_for(request.user).filter(pk=pk).select_related(
        "member", "unit").first()
    if row is None or name not in ("report", "feedback"):
        raise Http404
    try:
        if name == "report":
            workflow.supervisor_report(request.user, row, request.POST.get("text", ""))
        else:
            report = row.reports.filter(pk=to_int(request.POST.get("report"))).first()
            if report is None:
                raise Http404
            workflow.feedback(request.user, report, request.POST.get("feedback", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return supervisor(request, pk, status=refusal.status)
    messages.success(request, _("已提交。"))
    return redirect(row.get_absolute_url())


@login_required
def plan_xlsx(request: HttpRequest) -> HttpResponse:
    body, year = _scope(request)
    return xlsx_response(plans.export(body, year),
                         _("%(body)s%(year)s年民主监督计划") % {
                             "body": body.short_name, "year": year} + ".xlsx")


@login_required
@require_POST
def plan_import(request: HttpRequest) -> HttpResponse:
    body = _office_body(request)
    if body is None:
        raise Http404
    year = to_year(request.POST.get("year")) or timezone.localdate().year
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise Refusal("missing_file", _("请选择要导入的 Excel 文件。"))
        n = plans.import_topics(request.user, body, year, upload.read())
    except Refusal as refusal:
        messages.error(request, refusal.message)
        response = home(request)
        response.status_code = refusal.status
        return response
    messages.success(request, _("已导入 %(n)s 个监督议题。") % {"n": n})
    return redirect(f"{reverse('supervision:home')}?year={year}")
