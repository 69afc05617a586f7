"""Opinion-report pages: the reporter's, the office's, the bulletin and the statistics."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import plain
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.attachments import attach, attachments_of, check_upload
from lvzhi.core.errors import Refusal, refill
from lvzhi.core.events import history_list
from lvzhi.core.export_views import start_view
from lvzhi.core.forms import kept_options, named_choices, options_html
from lvzhi.core.inputs import to_ids, to_int, to_year
from lvzhi.core.models import Body, Member, RoleKind, Sector, User
from lvzhi.core.paging import IdsFirstPaginator
from lvzhi.core.responses import pdf_response, xlsx_response
from lvzhi.core.views import _without_page
from lvzhi.opinions import exports, points, queue, similar
from lvzhi.opinions.access import (
    get_report_for,
    office_bodies,
    reports_for,
    rules_for,
)
from lvzhi.opinions.forms import ReportForm
from lvzhi.opinions.models import Delivery, Forward, Instruction, Issue, Level, Report
from lvzhi.opinions.workflow import (
    INTERNAL_ACTIONS,
    RECIPIENTS,
    WORKFLOW,
    allowed_actions,
    combine,
    perform,
    publish_issue,
    save_draft,
)

S = Report.State


def _reporter_bodies(request: HttpRequest) -> list[Body]:
    ids = bodies_with(request.user, "opinions.submit")
    return list(Body.objects.filter(pk__in=ids))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    # The few co-reported ids first, then an OR of two index lookups: a join needed
    # DISTINCT over the wide rows, and an IN (subquery) made PostgreSQL scan them all.
    co_reported = list(Report.co_reporters.through.objects.filter(
        member_id__in=actor_for(request.user).seat_ids).exclude(
        report__state=Report.State.DRAFT).values_list("report_id", flat=True))
    # One row per report written: the copies forwarded up are shown on its page.
    rows = Report.objects.filter(Q(reporter=request.user) | Q(pk__in=co_reported))\
        .filter(forwarded_from__isnull=True).select_related("issue", "body")
    page = IdsFirstPaginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "opinions/mine.html", {
        "page": page, "can_submit": bool(_reporter_bodies(request))})


@login_required
def edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    report = get_report_for(request.user, pk) if pk else None
    if report is not None and report.reporter_id != request.user.pk:
        raise Http404
    bodies = _reporter_bodies(request)
    if not bodies and report is None:
        raise Http404
    body = report.body if report else next(
        (b for b in bodies if str(b.pk) == (request.POST.get("body") or request.GET.get("body"))),
        bodies[0])
    form = ReportForm(request.POST or None, request.FILES or None, body=body, user=request.user,
                      instance=report)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields: dict[str, Any] = dict(form.cleaned_data)
        fields["co_reporters"] = [m.pk for m in fields["co_reporters"]]
        upload = fields.pop("photo", None)
        try:
            if upload:
                check_upload(upload)
            with transaction.atomic():
                report = save_draft(request.user, body, fields, report=report)
                if upload:
                    attach(report, upload, request.user)
                if "submit" in request.POST:
                    perform(report, "submit", request.user)
        except Refusal as refusal:
            messages.error(request, refusal.message)
            status = refusal.status
        else:
            messages.success(request, _("已提交。") if "submit" in request.POST
                             else _("已暂存。"))
            return redirect(report.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(request, "opinions/edit.html", {
        "form": form, "report": report, "bodies": bodies, "body": body,
        "text_max": points_rules(body).text_max}, status=status)


def points_rules(body: Body):
    return rules_for(body.pk)


@login_required
def detail(request: HttpRequest, pk: int, *, error: Refusal | None = None,
           posted: tuple[str, Any] | None = None) -> HttpResponse:
    """`posted`: a refused action's name and what was typed, to fill its form in again."""
    r = get_report_for(request.user, pk)
    chain = r.lineage()
    # Every level's outcome, whichever level's row this page shows.
    forwards = plain.rows(Forward, report_id=[c.pk for c in chain])
    events = history_list(r)
    return render(request, "opinions/detail.html", {
        **refill(error, posted),
        "r": r, "actions": allowed_actions(r, request.user),
        "events": [(e, WORKFLOW.event_label(e.action)) for e in events],
        "co_reporters": _co_reporters(r),
        "forwards": forwards,
        "instructions": plain.rows(Instruction, report_id=[c.pk for c in chain]),
        "copies": [c for c in chain if c.pk != r.pk],
        "combined_in": _combined(r, "to_report_id", "from_report_id", "issue", Issue),
        "sources": _combined(r, "from_report_id", "to_report_id", "reporter", User),
        "levels": Level.choices,
        "higher": _higher_levels(r, [f for f in forwards if f.report_id == r.pk]),
        "deliveries": plain.rows(Delivery, report_id=r.pk), "recipients": RECIPIENTS,
        "attachments": attachments_of(r),
        "today": timezone.localdate(),
    }, status=error.status if error else 200)


def _co_reporters(r: Report) -> list[Member]:
    """In the directory's order (Member's own, through its sector and user): the ORM
    is asked only when there are some, which most reports have not."""
    links = plain.rows(Report.co_reporters.through, report_id=r.pk, order=())
    return list(r.co_reporters.select_related("user")) if links else []


def _combined(r: Report, mine: str, theirs: str, related: str, model: type) -> list[Report]:
    """The combined reports `r` went into (mine=to_report_id) or the sources it was
    combined from (mine=from_report_id), with their `related` row."""
    links = plain.rows(Report.sources.through, order=(), **{mine: r.pk})
    found = plain.rows(Report, pk=[getattr(link, theirs) for link in links])
    plain.fill(model, (found, related))
    return found


def _higher_levels(r: Report, own: list[Forward]) -> list[tuple[str, str]]:
    """The levels above the report's body it has not yet been sent up to (`own`: this
    row's forwards)."""
    order = [Level.DISTRICT, Level.CITY, Level.PROVINCE, Level.NATIONAL]
    done = {f.level for f in own}
    return [(v, str(Level(v).label)) for v in order[order.index(r.body.level) + 1:]
            if v not in done]


@login_required
@require_POST
def act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name in INTERNAL_ACTIONS:
        raise Http404
    params: dict[str, Any] = {k: v for k, v in request.POST.items()
                              if k != "csrfmiddlewaretoken"}
    params["recipients"] = [*request.POST.getlist("recipients"),
                            *request.POST.get("other_recipient", "").split("、")]
    try:
        report = perform(pk, name, request.user, **params)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
        return detail(request, pk, error=refusal, posted=(name, request.POST))
    messages.success(request, _("已完成：%(action)s。") % {
        "action": WORKFLOW.actions[name].label})
    return redirect(report.get_absolute_url())


def _office_only(request: HttpRequest) -> set[int]:
    """The bodies whose opinion office the user works in; 404 for anyone else."""
    bodies = office_bodies(request.user)
    if not bodies:
        raise Http404
    return bodies


def _office_or_404(request: HttpRequest) -> set[int]:
    bodies = queue.readers(request.user)
    if not bodies:
        raise Http404
    return bodies


def _filtered(request: HttpRequest):
    return queue.filtered(request.user, request.GET)  # the bodies _office_or_404 checked


@login_required
def office(request: HttpRequest) -> HttpResponse:
    bodies = _office_or_404(request)
    page = IdsFirstPaginator(_filtered(request), 30, fetch=queue.page_rows,
                             kept_for=bodies).get_page(request.GET.get("page"))
    staff = User.objects.filter(roles__body_id__in=office_bodies(request.user),
                                roles__kind__in=[RoleKind.STAFF, RoleKind.LEADER]).distinct()
    g = request.GET
    kept = kept_options("opinions.queue", bodies, lambda: _setup_choices(bodies))
    return render(request, "opinions/office.html", {
        "page": page, "g": g, "several_bodies": len(kept["body"]) > 1,
        # the filter bar and the issue form as ready options (a city's 500 sectors)
        "options": {
            "body": options_html(kept["body"], g.get("body", "")),
            "state": options_html(S.choices, g.get("state", "")),
            "category": options_html(Report.Category.choices, g.get("category", "")),
            "sector": options_html(kept["sector"], g.get("sector", "")),
            "staff": options_html(staff.values_list("pk", "full_name")),
        },
        "query_base": _without_page(request), "can_process": bool(office_bodies(request.user)),
        "issues": Issue.objects.filter(body_id__in=bodies).select_related("body")[:10],
    })


def _setup_choices(bodies: set[int]) -> dict[str, list[tuple[int, str]]]:
    return {"body": list(Body.objects.filter(pk__in=bodies).values_list("pk", "short_name")),
            "sector": named_choices(Sector, bodies, len(bodies) > 1)}


@login_required
def office_similar(request: HttpRequest) -> HttpResponse:
    """相似信息: waiting reports on the same matter, grouped, each group ready to combine."""
    _office_only(request)
    return render(request, "opinions/similar.html", {"groups": similar.queue_groups(
        request.user)})


office_export = start_view("opinions.queue")


def _selected(request: HttpRequest) -> list[Report]:
    ids = to_ids(request.POST.getlist("ids"))
    return list(reports_for(request.user).filter(pk__in=ids))


@login_required
@require_POST
def combine_view(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    try:
        combined = combine(_selected(request), request.user, request.POST.get("title", ""),
                           request.POST.get("text", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("opinions:office")
    messages.success(request, _("已形成综合稿。"))
    return redirect(combined.get_absolute_url())


@login_required
@require_POST
def publish_view(request: HttpRequest) -> HttpResponse:
    _office_only(request)
    selected = _selected(request)
    try:
        people = {u.pk: u for u in User.objects.filter(
            pk__in=[to_int(request.POST.get("editor")), to_int(request.POST.get("signer"))])}
        editor = people.get(to_int(request.POST.get("editor")))
        signer = people.get(to_int(request.POST.get("signer")))
        if not (editor and signer and selected):
            raise Refusal("missing", _("请选择信息、核稿人和签发人。"))
        issue = publish_issue(selected[0].body, request.user, selected, editor, signer)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("opinions:office")
    messages.success(request, _("已编发%(issue)s。") % {"issue": issue})
    return redirect("opinions:issue", pk=issue.pk)


def _issue_for(request: HttpRequest, pk: int) -> Issue:
    """Readers of the body see every issue; a reporter sees the issues their reports are in."""
    issue = get_object_or_404(Issue.objects.select_related("body", "editor", "signer"), pk=pk)
    if issue.body_id not in bodies_with(request.user, "opinions.read_all") and not \
            reports_for(request.user).filter(issue=issue).exists():
        raise Http404
    return issue


@login_required
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    item = _issue_for(request, pk)
    return render(request, "opinions/issue.html", {"issue": item, "reports": _items(item)})


def _items(item: Issue):
    """The issue's articles: single reports and combined reports, not the latter's sources."""
    return item.reports.filter(Q(is_combined=True) | Q(adopted_as="single"))


@login_required
def issue_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    item = _issue_for(request, pk)
    data = exports.pdf("opinions/pdf/issue.html", {"issue": item, "reports": _items(item)})
    return pdf_response(data, _("社情民意%(year)s-%(number)s") % {
        "year": item.year, "number": item.number} + ".pdf")



def _bulletin(request: HttpRequest) -> dict[str, Any]:
    bodies = _office_or_404(request)
    body = Body.objects.filter(pk=to_int(request.GET.get("body")) or 0, pk__in=bodies).first() \
        or Body.objects.filter(pk__in=bodies).first()
    year = to_year(request.GET.get("year")) or timezone.localdate().year
    month = to_int(request.GET.get("month"))
    quarter = to_int(request.GET.get("quarter"))
    if (month and not 1 <= month <= 12) or (quarter and not 1 <= quarter <= 4):
        raise Refusal("bad_period", _("请选择有效的月份或季度。"))
    start, end = points.period(year, month, quarter)
    people = points.ranking(body, start, end)
    label = _("%(year)s年%(part)s") % {"year": year, "part": (
        _("%(m)s月") % {"m": month} if month else _("第%(q)s季度") % {"q": quarter}
        if quarter else _("全年"))}
    return {"body": body, "bodies": Body.objects.filter(pk__in=bodies), "year": year,
            "month": month, "quarter": quarter, "label": label, "people": people,
            "sectors": points.grouped(people, "sector"), "units": points.grouped(people, "unit"),
            "table": points.table_for(body, year)}


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    try:
        context = _bulletin(request)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("opinions:bulletin")
    return render(request, "opinions/bulletin.html", {**context, "query": request.GET.urlencode()})


@login_required
def bulletin_xlsx(request: HttpRequest) -> HttpResponse:
    c = _bulletin(request)
    data = exports.bulletin_workbook(c["label"], c["people"], c["sectors"], c["units"])
    return xlsx_response(data, _("社情民意通报%(label)s") % {"label": c["label"]} + ".xlsx")


@login_required
def bulletin_pdf(request: HttpRequest) -> HttpResponse:
    c = _bulletin(request)
    data = exports.pdf("opinions/pdf/bulletin.html", c)
    return pdf_response(data, _("社情民意通报%(label)s") % {"label": c["label"]} + ".pdf")


@login_required
def stats(request: HttpRequest) -> HttpResponse:
    bodies = _office_or_404(request)
    rows = Report.objects.filter(body_id__in=bodies).exclude(state=S.DRAFT).exclude(
        is_combined=True)
    year = to_year(request.GET.get("year"))
    if year:
        rows = rows.filter(submitted_at__year=year)
    by_state = Counter(dict(rows.values_list("state").annotate(n=Count("id"))))
    by_category = dict(rows.values_list("category").annotate(n=Count("id")))
    adopted = by_state[S.ADOPTED] + by_state[S.PUBLISHED]
    total = sum(by_state.values())
    by_level = dict(Forward.objects.filter(report__in=rows).values_list("level").annotate(
        n=Count("id")))
    per_body = rows.values("body__short_name").annotate(
        n=Count("id"), adopted=Count("id", filter=Q(state__in=[S.ADOPTED, S.PUBLISHED])))\
        .order_by("-n")
    return render(request, "opinions/stats.html", {
        "year": year or "", "total": total, "adopted": adopted,
        "rate": f"{adopted * 100 / total:.1f}%" if total else "—",
        "by_state": [(label, by_state.get(v, 0)) for v, label in S.choices if v != S.DRAFT],
        "by_category": [(label, by_category.get(v, 0)) for v, label in Report.Category.choices],
        "by_level": [(label, by_level.get(v, 0)) for v, label in Level.choices],
        "per_body": per_body, "several": len(bodies) > 1,
    })



