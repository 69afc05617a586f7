"""台账 pages: the board of the year's tasks, a task with its milestones and reports, the
Excel breakdown in and out."""

from __future__ import annotations

import datetime
from typing import Any, NamedTuple
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import links
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.attachments import attachments_by_parent, attachments_of
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history, kept_until_change
from lvzhi.core.export_views import start_view
from lvzhi.core.forms import choice_labels, kept_options, options_html
from lvzhi.core.inputs import to_ids, to_int
from lvzhi.core.models import Body, Department
from lvzhi.core.paging import IdsFirstPaginator
from lvzhi.core.paths import object_url
from lvzhi.core.responses import pdf_response, xlsx_response
from lvzhi.core.templatetags.lvzhi import cn_date
from lvzhi.ledgers import (
    assign,
    breakdown,
    department_scores,
    exporting,
    progress,
    services,
    workflow,
)
from lvzhi.ledgers.models import Ledger, ProgressReport, Task
from lvzhi.ledgers.templatetags.ledgers import task_status


def _body_year(request: HttpRequest) -> tuple[Body, int]:
    return exporting.chosen(request.user, request.GET.get("body") or request.POST.get("body"),
                            request.GET.get("year") or request.POST.get("year"))


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """A handling unit's rectification items (民主监督整改), open first."""
    units = actor_for(request.user).handling_units
    if not units:
        raise Http404
    rows = list(Task.objects.filter(unit_id__in=units).select_related("unit", "body")
                .prefetch_related("milestones", "reports").order_by("state", "-id")[:200])
    for t in rows:
        t.status = services.status(t)
    return render(request, "ledgers/mine.html", {"rows": rows,
                                                 "labels": services.STATUS_LABELS})


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """The year's tasks with how each stands; filters by department, status, category.
    Statuses come from plain values (services.statuses); only the page's tasks are loaded."""
    body, year = _body_year(request)
    everything = Task.objects.filter(body=body, ledger__year=year)
    # Every task's status is worked out for the counts: kept until the body's next event
    # (a report, a milestone, a completion all leave one) or the next day.
    status_of = kept_until_change(("ledgers.statuses", year, timezone.localdate()),
                                  {body.pk}, lambda: services.statuses(everything))
    counts = {code: sum(1 for v in status_of.values() if v == code)
              for code in services.STATUS_LABELS}
    f = request.GET
    mine = actor_for(request.user).departments.get(body.pk, set())
    rows = everything
    if f.get("mine"):
        rows = rows.filter(department_id__in=mine)
    if f.get("led"):
        rows = rows.filter(services.led_by(request.user))
    if to_int(f.get("department")):
        rows = rows.filter(department_id=to_int(f.get("department")))
    if f.get("category") in Task.Category.values:
        rows = rows.filter(category=f.get("category"))
    if f.get("status") in services.STATUS_LABELS:
        rows = rows.filter(pk__in=[pk for pk, v in status_of.items() if v == f.get("status")])
    # the count too is kept until the body's next event (tasks are the body's)
    page = IdsFirstPaginator(rows.order_by("ledger_id", "number", "id"), 50,
                             fetch=lambda ids: _rows(ids, status_of),
                             kept_for=[body.pk]).get_page(f.get("page"))
    query = f.copy()
    query.pop("page", None)
    reviews = services.reviews(request.user, body.pk)  # reads the body's rules: once
    return render(request, "ledgers/board.html", {
        "body": body, "year": year, "page": page,
        "counts": [(code, label, counts[code]) for code, label in
                   services.STATUS_LABELS.items()],
        "labels": services.STATUS_LABELS, "departments": options_html(
            kept_options("ledgers.board", [body.pk], lambda: list(
                Department.objects.filter(body=body).values_list("pk", "name"))),
            f.get("department", "")),
        "categories": Task.Category.choices, "query_base": query.urlencode(),
        "export_query": urlencode({"body": body.pk, "year": year}),
        "reviews": reviews, "has_department": bool(mine),
        "leads": services.leads_any(request.user),
        "checklists": Ledger.objects.filter(body=body, year=year,
                                            kind=Ledger.LedgerKind.ASSIGNMENT),
        "can_assign": body.level == Body.Level.CITY and reviews})


class Row(NamedTuple):
    """A task's line on the board, from values (fifty tasks with their departments and
    units as model instances cost a quarter of the page)."""

    pk: int
    url: str
    number: int
    title: str
    badge: str
    owner: str
    source_id: int | None
    leader: str
    category_label: str
    last_due: datetime.date | None
    last_day: str


def _rows(ids: list[int], status_of: dict[int, str]) -> list[Row]:
    """The page's tasks with what a row shows worked out here, not in the template: its
    status, owner, last milestone and address (50 rows, no reverse() or loop each)."""
    last = services.last_dues(ids)
    found = {pk: rest for pk, *rest in Task.objects.filter(pk__in=ids).values_list(
        "pk", "number", "title", "category", "leader", "source_id", "department__name",
        "unit__name")}
    categories = choice_labels(Task.Category)
    badges: dict[str, str] = {}  # a status's badge drawn once a page, not once a row
    rows = []
    for pk in ids:
        number, title, category, leader, source_id, department, unit = found[pk]
        status = status_of[pk]
        if status not in badges:
            badges[status] = task_status(status)
        rows.append(Row(pk, object_url("ledgers:task", pk), number, title,
                        badges[status], unit or department or _("本机关"),
                        source_id, leader, categories.get(category, ""), last.get(pk),
                        cn_date(last.get(pk))))
    return rows


@login_required
def assignment_new(request: HttpRequest) -> HttpResponse:
    """任务交办: a checklist of items with deadlines, to all or chosen districts."""
    body, year = _body_year(request)
    if body.level != Body.Level.CITY or not services.reviews(request.user, body.pk):
        raise Http404
    districts = Body.objects.filter(parent=body)
    posted = request.POST
    status = 200
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            items = assign.parse_items(posted.get("items", ""), year)
            chosen = list(districts.filter(pk__in=to_ids(posted.getlist("districts"))))
            checklist = assign.assign(request.user, body, year, posted.get("title", ""),
                                      items, chosen)
        except Refusal as refusal:
            errors, status = refusal.fields or {"title": refusal.message}, refusal.status
        else:
            messages.success(request, _("已交办给 %(n)s 个区县政协。") % {"n": len(chosen)})
            return redirect("ledgers:matrix", pk=checklist.pk)
    return render(request, "ledgers/assignment_new.html", {
        "body": body, "year": year, "districts": districts, "posted": posted,
        "errors": errors,
        "chosen": set(to_ids(posted.getlist("districts"))) if posted else None},
        status=status)


def _checklist(request: HttpRequest, pk: int) -> Ledger:
    row = Ledger.objects.filter(pk=pk, kind=Ledger.LedgerKind.ASSIGNMENT,
                                body_id__in=bodies_with(request.user, "ledgers.read_all"),
                                body__level=Body.Level.CITY).first()
    if row is None:
        raise Http404
    return row


@login_required
def matrix(request: HttpRequest, pk: int) -> HttpResponse:
    """The city's view: districts × items, each cell the district's state, opening its
    reports. Kept until the next event of the city or a district (a report, a completion)
    or the next day: it is the city's most-opened page in the reporting season."""
    checklist = _checklist(request, pk)
    bodies = {checklist.body_id, *Body.objects.filter(parent_id=checklist.body_id)
              .values_list("pk", flat=True)}
    table = kept_until_change(
        ("ledgers.matrix", checklist.pk, timezone.localdate(), get_language()), bodies,
        lambda: _matrix_table(checklist))
    return render(request, "ledgers/matrix.html", {
        "checklist": checklist, "labels": assign.CELL_LABELS, **table})


def _matrix_table(checklist: Ledger) -> dict[str, Any]:
    """The matrix as plain strings (each worker keeps it): the items, each district's row
    of cells, the count of cells in each state."""
    items, rows = assign.matrix(checklist)
    counts = {code: sum(1 for _b, cells in rows for c in cells if c and c.cell == code)
              for code in assign.CELL_LABELS}
    # 540 cells: joined here, which costs a tenth of rendering them node by node.
    lines = [(b.short_name, mark_safe("".join(  # format_html escaped every value
        format_html('<td><a href="{}" class="badge {} text-decoration-none">{}</a></td>',
                    c.url, c.css, c.label) if c else "<td></td>" for c in row)))
        for b, row in rows]
    return {"items": [(i.number, i.title) for i in items], "counts": counts, "lines": lines}


@login_required
def matrix_export(request: HttpRequest, pk: int) -> HttpResponse:
    checklist = _checklist(request, pk)
    items, rows = assign.matrix(checklist)
    return xlsx_response(breakdown.matrix_workbook(items, rows, assign.CELL_LABELS),
                         _("%(title)s进展") % {"title": checklist.title} + ".xlsx")


@login_required
def task(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    row = services.tasks_for(request.user).select_related(
        "department", "unit", "ledger", "body").filter(
        pk=pk).first()
    if row is None:
        raise Http404
    reports = list(row.reports.select_related("author"))
    files = attachments_by_parent(ProgressReport, [r.pk for r in reports])
    return render(request, "ledgers/task.html", {
        "t": row, "status": services.status(row),
        "labels": services.STATUS_LABELS, "milestones": row.milestones.all(),
        "reports": [(r, files.get(r.pk, [])) for r in reports],
        "actions": workflow.allowed_actions(row, request.user),
        "events": [(e, workflow.WORKFLOW.event_label(e.action)) for e in history(row)],
        "deadline_requests": row.deadline_requests.select_related("author"),
        "links": [(link, kind, kind.url(link.target)) for link in row.links.all()
                  if (kind := links.kind_of(link.target)) is not None],
        "link_kinds": [(k, k.candidates(row.body_id, row.ledger.year)[:200])
                       for k in links.LINKABLE.values()],
        "files": attachments_of(row),
        "posted": request.POST if status >= 400 else {},
    }, status=status)


@login_required
@require_POST
def task_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    if name not in workflow.WORKFLOW.actions:
        raise Http404
    params: dict[str, Any] = {k: v for k, v in request.POST.items()
                              if k != "csrfmiddlewaretoken"}
    params["files"] = request.FILES.getlist("files")
    if "choice" in params:  # the link form's one select: "activity:12"
        params["kind"], _sep, params["target"] = str(params.pop("choice")).partition(":")
    try:
        workflow.perform(pk, name, request.user, **params)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
        return task(request, pk, status=refusal.status)
    messages.success(request, _("已完成：%(a)s。") % {
        "a": workflow.WORKFLOW.actions[name].label})
    return redirect(reverse("ledgers:task", args=[pk]))


@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    """The year's breakdown from Excel: every row checked, saved all or nothing."""
    body, year = _body_year(request)
    if not services.reviews(request.user, body.pk):
        raise Http404
    context: dict[str, Any] = {"body": body, "year": year, "columns": breakdown.COLUMNS}
    status = 200
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise Refusal("missing_file", _("请选择要导入的 Excel 文件。"))
            rows = breakdown.check(body, year, breakdown.read(upload.read()))
            context["rows"] = rows
            ledger, _new = Ledger.objects.get_or_create(
                body=body, year=year, kind=Ledger.LedgerKind.WORK_PLAN,
                defaults={"title": _("%(b)s%(y)s年工作任务分解") % {"b": body.short_name,
                                                              "y": year}})
            count = breakdown.save(request.user, ledger, rows)
        except Refusal as refusal:
            messages.error(request, refusal.message)
            status = 400
        else:
            messages.success(request, _("已导入 %(n)s 项任务。") % {"n": count})
            return redirect(f"{reverse('ledgers:board')}?body={body.pk}&year={year}")
    return render(request, "ledgers/import.html", context, status=status)


export = start_view("ledgers.breakdown")


def _period(request: HttpRequest):
    body, _year = _body_year(request)
    p = progress.period(request.GET.get("period"))
    return body, p, progress.table(body, p)


@login_required
def progress_view(request: HttpRequest) -> HttpResponse:
    """The month's or quarter's progress table, for the secretary-general and chairs."""
    body, p, lines = _period(request)
    return render(request, "ledgers/progress.html", {
        "body": body, "year": p.start.year, "p": p, "lines": lines,
        "counts": progress.counts(lines), "labels": services.STATUS_LABELS,
        "export_query": urlencode({"body": body.pk, "period": p.code}),
        "periods": progress.choices(timezone.localdate().year)})


progress_xlsx = start_view("ledgers.progress_xlsx")
progress_pdf = start_view("ledgers.progress_pdf")


@login_required
def departments(request: HttpRequest) -> HttpResponse:
    """部门考评: the year's departments scored on their tasks; the office enters quality,
    instructions and notes for all at once."""
    body, year = _body_year(request)
    office = services.reviews(request.user, body.pk)
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        if not office:
            raise Http404
        try:
            n = department_scores.save(request.user, body, year, request.POST)
        except Refusal as refusal:
            errors, status = refusal.fields or {"": refusal.message}, refusal.status
        else:
            messages.success(request, _("已保存 %(n)s 个部门的考评。") % {"n": n})
            return redirect(f"{reverse('ledgers:departments')}?body={body.pk}&year={year}")
    rules, rows = department_scores.table(body, year)
    typed = request.POST if errors else {}
    shown = [(line, points, {
        name: typed.get(f"{name}_{line.department.pk}", getattr(line, name))
        for name in ("quality", "instructions", "note")}) for line, points in rows]
    return render(request, "ledgers/departments.html", {
        "body": body, "year": year, "rules": rules, "rows": shown, "office": office,
        "errors": errors}, status=status)


@login_required
def departments_xlsx(request: HttpRequest) -> HttpResponse:
    body, year = _body_year(request)
    return xlsx_response(department_scores.workbook(body, year),
                         _scores_name(body, year) + ".xlsx")


@login_required
def departments_pdf(request: HttpRequest) -> HttpResponse:
    body, year = _body_year(request)
    return pdf_response(department_scores.pdf(body, year),
                        _scores_name(body, year) + ".pdf")


def _scores_name(body, year: int) -> str:
    return _("%(body)s%(year)s年部门考评") % {"body": body.short_name, "year": year}
