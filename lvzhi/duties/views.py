"""The duty record's pages: 我的履职 for members, the office's table and year close, a
member's record, declarations and corrections, the rule set, the districts side by side."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.attachments import attachments_of
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.inputs import to_int
from lvzhi.core.models import Body, Party, Sector, SpecialCommittee
from lvzhi.core.responses import pdf_response, xlsx_response
from lvzhi.duties import (
    access,
    experts,
    exports,
    kinds,
    record,
    schemes,
    services,
    tasks,
    workflow,
)
from lvzhi.duties.forms import DeclarationForm, ExpertForm, RulesForm
from lvzhi.duties.models import (
    Correction,
    Declaration,
    EvaluationYear,
    Expert,
    ExpertiseField,
    Grade,
    MemberEvaluation,
)


def _year(request: HttpRequest, default: int) -> int:
    year = to_int(request.GET.get("year"))
    return year if year and 2000 <= year <= 2100 else default


# --- the member ---------------------------------------------------------------------------------

@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """我的履职: this year's standing, every fact, declarations, past years."""
    seats = list(access.own_seats(request.user))
    if not seats:
        raise Http404
    seat = next((s for s in seats if s.pk == to_int(request.GET.get("seat"))), seats[0])
    year = _year(request, record.current_year(seat))
    return render(request, "duties/mine.html", {
        "r": record.build(seat, year), "seats": seats, "grades": dict(Grade.choices),
        "categories": kinds.CATEGORIES})


@login_required
def declare(request: HttpRequest) -> HttpResponse:
    seats = list(access.own_seats(request.user))
    if not seats:
        raise Http404
    form = DeclarationForm(request.POST or None, request.FILES or None, seats=seats)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = workflow.declare(request.user, data["seat"] or seats[0], data,
                                   data["files"])
        except Refusal as refusal:
            status = form.refused(refusal)
        else:
            messages.success(request, _("已提交申报，机关确认后计入履职档案。"))
            return redirect(row.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(request, "duties/declare.html", {"form": form}, status=status)


@login_required
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    row = access.declarations_for(request.user).select_related(
        "member__user", "member__body").filter(pk=pk).first()
    if row is None:
        raise Http404
    return render(request, "duties/declaration.html", {
        "d": row, "files": attachments_of(row),
        "events": [(e, workflow.DECLARATION.event_label(e.action)) for e in history(row)],
        "actions": workflow.DECLARATION.allowed_actions(row, request.user),
        "kind_label": kinds.DECLARED.get(row.kind, row.kind),
        "level_label": kinds.AWARD_LEVELS.get(row.level, "")})


@login_required
@require_POST
def declaration_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _act(request, workflow.DECLARATION, pk, name,
                lambda: reverse("duties:declaration", args=[pk]),
                lambda: declaration(request, pk))


@login_required
@require_POST
def correction_new(request: HttpRequest) -> HttpResponse:
    seats = access.own_seats(request.user)
    chosen = to_int(request.POST.get("seat"))
    seat = (seats.filter(pk=chosen) if chosen else seats).first()
    year = to_int(request.POST.get("year"))
    if seat is None:
        raise Http404
    try:
        if year is None:
            raise Refusal("bad_year", _("请选择年度。"))
        workflow.request_correction(request.user, seat, year, request.POST.get("text", ""))
    except Refusal as refusal:
        messages.error(request, refusal.message)
        response = mine(request)
        response.status_code = refusal.status
        return response
    messages.success(request, _("已提交更正申请，委员工作机构处理后会通知您。"))
    return redirect(f"{reverse('duties:mine')}?seat={seat.pk}&year={year}")


@login_required
@require_POST
def correction_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    row = access.corrections_for(request.user).filter(pk=pk).first()
    if row is None:
        raise Http404
    return _act(request, workflow.CORRECTION, pk, name,
                lambda: reverse("duties:record", args=[row.member_id]) + f"?year={row.year}",
                lambda: member_record(_with_get(request, year=row.year), row.member_id))


def _with_get(request: HttpRequest, **query) -> HttpRequest:
    """The page to show again after a refused action, for the object acted on."""
    request.GET = request.GET.copy()
    for key, value in query.items():
        request.GET[key] = str(value)
    return request


def _act(request: HttpRequest, flow, pk: int, name: str, back, page) -> HttpResponse:
    """Perform one action; a refusal shows the page again with its message and its 4xx."""
    if name not in flow.actions:
        raise Http404
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        flow.perform(pk, name, request.user, **params)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        messages.error(request, refusal.message)
        response = page()
        response.status_code = refusal.status
        return response
    messages.success(request, _("已完成：%(a)s。") % {"a": flow.actions[name].label})
    return redirect(back())


# --- the office ---------------------------------------------------------------------------------

def _reading_body(request: HttpRequest) -> Body:
    bodies = access.reading_bodies(request.user)
    if not bodies:
        raise Http404
    chosen = to_int(request.GET.get("body") or request.POST.get("body"))
    return Body.objects.filter(pk=chosen if chosen in bodies else min(bodies)).first()


def _office_rows(request: HttpRequest, body: Body, year: int):
    rows = MemberEvaluation.objects.filter(body=body, year=year).select_related(
        "member__user", "member__sector")
    f = request.GET
    if to_int(f.get("sector")):
        rows = rows.filter(member__sector_id=to_int(f.get("sector")))
    if to_int(f.get("committee")):
        rows = rows.filter(member__committees__id=to_int(f.get("committee")))
    if f.get("party") in Party.values:
        rows = rows.filter(member__party=f.get("party"))
    if f.get("grade") in Grade.values:
        rows = rows.filter(grade=f.get("grade"))
    if f.get("risk"):
        rows = rows.exclude(at_risk=[])
    if f.get("q"):
        rows = rows.filter(member__user__full_name__contains=f.get("q").strip()[:40])
    order = {"points": ["-total", "member__user__full_name"],
             "name": ["member__user__full_name"]}.get(f.get("sort", ""), ["rank_body", "id"])
    return rows.order_by(*order)


@login_required
def office(request: HttpRequest) -> HttpResponse:
    body = _reading_body(request)
    year = _year(request, services.year_of(body.pk, timezone.localdate()))
    state = services.year_state(body.pk, year)
    if not state.frozen and not MemberEvaluation.objects.filter(body=body, year=year).exists():
        services.recompute(body.pk, year)
    rows = _office_rows(request, body, year)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    everyone = MemberEvaluation.objects.filter(body=body, year=year)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "duties/office.html", {
        "body": body, "year": year, "state": state, "page": page, "query_base": query.urlencode(),
        "bodies": Body.objects.filter(pk__in=access.reading_bodies(request.user)),
        "sectors": Sector.objects.filter(body=body),
        "committees": SpecialCommittee.objects.filter(body=body),
        "parties": Party.choices, "grades": Grade.choices,
        "distribution": _distribution(everyone),
        "by_sector": _by_sector(everyone),
        "at_risk": everyone.exclude(at_risk=[]).count(),
        "pending": Declaration.objects.filter(body=body, state=Declaration.State.PENDING)
        .count(),
        "corrections": Correction.objects.filter(body=body, year=year,
                                                 state=Correction.State.PENDING).count(),
        "manages": body.pk in access.managing_bodies(request.user),
    })


def _by_sector(rows) -> list[tuple[str, list[int]]]:
    """Each sector's count per grade, in the grades' order (one query)."""
    counts: dict[str, dict[str, int]] = {}
    for sector, grade, n in rows.values_list("member__sector__name", "grade").annotate(
            n=Count("id")).order_by("member__sector__name"):
        counts.setdefault(sector, {})[grade] = n
    return [(sector, [grades.get(code, 0) for code in Grade.values])
            for sector, grades in counts.items()]


def _distribution(rows) -> list[tuple[str, int]]:
    counts = dict(rows.values_list("grade").annotate(n=Count("id")))
    return [(label, counts.get(code, 0)) for code, label in Grade.choices]


@login_required
def office_export(request: HttpRequest) -> HttpResponse:
    body = _reading_body(request)
    year = _year(request, services.year_of(body.pk, timezone.localdate()))
    rows = _office_rows(request, body, year)
    return xlsx_response(exports.year_workbook(rows, year),
                         f"{body.short_name}{year}年度履职考核.xlsx")


@login_required
def office_declarations(request: HttpRequest) -> HttpResponse:
    bodies = access.reading_bodies(request.user)
    if not bodies:
        raise Http404
    state = request.GET.get("state", Declaration.State.PENDING)
    rows = Declaration.objects.filter(body_id__in=bodies).select_related("member__user")
    if state in Declaration.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    return render(request, "duties/office_declarations.html", {
        "page": page, "state": state, "states": Declaration.State.choices,
        "kinds": kinds.DECLARED, "query_base": f"state={state}"})


@login_required
def member_record(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access.seat_for(request.user, pk)
    year = _year(request, record.current_year(seat))
    return render(request, "duties/record.html", {
        "r": record.build(seat, year), "grades": dict(Grade.choices),
        "categories": kinds.CATEGORIES,
        "manages": seat.body_id in access.managing_bodies(request.user)})


@login_required
@require_POST
def member_amend(request: HttpRequest, pk: int) -> HttpResponse:
    """A correction after the year's approval: a new version of this member's result."""
    seat = access.seat_for(request.user, pk)
    year = to_int(request.POST.get("year"))
    if year is None:
        raise Http404
    try:
        workflow.amend(request.user, seat, year, request.POST)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        response = member_record(_with_get(request, year=year), pk)
        response.status_code = refusal.status
        return response
    messages.success(request, _("考核结果已更正，形成新版本。"))
    return redirect(f"{reverse('duties:record', args=[pk])}?year={year}")


@login_required
@require_POST
def office_recompute(request: HttpRequest) -> HttpResponse:
    """重新计算: the body's open years now, without waiting for the background task."""
    bodies = access.managing_bodies(request.user)
    body = to_int(request.POST.get("body") or request.GET.get("body"))
    if body not in bodies:
        raise Http404
    count = sum(services.recompute(body, y) for y in tasks.open_years(body))
    messages.success(request, _("已重新计算 %(n)s 位委员的考核结果。") % {"n": count})
    return redirect(f"{reverse('duties:office')}?body={body}")


@login_required
def member_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access.seat_for(request.user, pk)
    year = _year(request, record.current_year(seat))
    data = exports.record_pdf(record.build(seat, year), dict(Grade.choices))
    return pdf_response(data, f"{seat.user.full_name}{year}年度履职档案.pdf")


@login_required
def rules(request: HttpRequest) -> HttpResponse:
    bodies = access.managing_bodies(request.user)
    if not bodies:
        raise Http404
    chosen = to_int(request.GET.get("body"))
    body = Body.objects.get(pk=chosen if chosen in bodies else min(bodies))
    year = _year(request, services.year_of(body.pk, timezone.localdate()))
    current = services.rules_for(body.pk, year)
    template = request.POST.get("template")
    if request.method == "POST" and template:  # start again from a ready scheme
        return _from_template(request, body, year, template)
    form = RulesForm(request.POST or None, rules=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_rules(request.user, body.pk, year, form.values())
            except Refusal as refusal:
                messages.error(request, refusal.message)
                status = refusal.status
            else:
                messages.success(request, _("考核规则已保存为新版本，本年度结果已重新计算。"))
                return redirect(f"{reverse('duties:rules')}?body={body.pk}&year={year}")
        else:
            status = 400
    return render(request, "duties/rules.html", {
        "form": form, "body": body, "year": year, "rules": current,
        "bodies": Body.objects.filter(pk__in=bodies),
        "frozen": services.year_state(body.pk, year).frozen}, status=status)


def _from_template(request: HttpRequest, body: Body, year: int, template: str) -> HttpResponse:
    if template not in schemes.SCHEMES:
        raise Http404
    try:
        services.save_rules(request.user, body.pk, year, schemes.SCHEMES[template](year))
    except Refusal as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("已改用“%(n)s”，本年度结果已重新计算。") % {
            "n": schemes.SCHEMES[template](year)["name"]})
    return redirect(f"{reverse('duties:rules')}?body={body.pk}&year={year}")


@login_required
def year_view(request: HttpRequest) -> HttpResponse:
    bodies = access.managing_bodies(request.user)
    if not bodies:
        raise Http404
    chosen = to_int(request.GET.get("body"))
    body = Body.objects.get(pk=chosen if chosen in bodies else min(bodies))
    year = _year(request, services.year_of(body.pk, timezone.localdate()))
    state = services.year_state(body.pk, year)
    return render(request, "duties/year.html", {
        "body": body, "year": year, "state": state,
        "events": [(e, workflow.YEAR.event_label(e.action)) for e in history(state)],
        "rules": services.rules_for(body.pk, year),
        "actions": workflow.YEAR.allowed_actions(state, request.user),
        "pending": Correction.objects.filter(body=body, year=year,
                                             state=Correction.State.PENDING)
        .select_related("member__user"),
        "categories": kinds.CATEGORIES})


@login_required
@require_POST
def year_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    row = EvaluationYear.objects.filter(pk=pk).first()
    if row is None:
        raise Http404
    return _act(request, workflow.YEAR, pk, name,
                lambda: f"{reverse('duties:year')}?body={row.body_id}&year={row.year}",
                lambda: year_view(_with_get(request, body=row.body_id, year=row.year)))


@login_required
def districts(request: HttpRequest) -> HttpResponse:
    """City oversight: each district's members, grades and at-risk count, side by side."""
    from lvzhi.core.access import actor_for

    children = actor_for(request.user).oversight_children
    if not children:
        raise Http404
    year = _year(request, timezone.localdate().year)
    rows = []
    for body in Body.objects.filter(pk__in=children):
        results = MemberEvaluation.objects.filter(body=body, year=year)
        rows.append({"body": body, "members": results.count(),
                     "distribution": _distribution(results),
                     "at_risk": results.exclude(at_risk=[]).count(),
                     "state": services.year_state(body.pk, year)})
    return render(request, "duties/districts.html", {"rows": rows, "year": year,
                                                     "grades": Grade.choices})


# --- the expert pool ---------------------------------------------------------------------------

@login_required
def expert_pool(request: HttpRequest) -> HttpResponse:
    """参政议政人才库: search by field, sector, availability; staff add people."""
    readable = access.reading_bodies(request.user)
    if not readable:
        raise Http404
    managed = access.managing_bodies(request.user)
    body_id = min(managed) if managed else min(readable)
    form = _expert_form(request, body_id)
    status = 200
    if request.method == "POST":
        if not managed:
            raise Http404
        status = _save_expert(request, form, body_id)
        if status == 302:
            return redirect("duties:experts")
    f = request.GET
    rows = experts.pool(readable, field=to_int(f.get("field")), sector=to_int(f.get("sector")),
                        available=bool(f.get("available")), q=f.get("q", "").strip()[:40])
    query = f.copy()
    query.pop("page", None)
    return render(request, "duties/experts.html", {
        "page": Paginator(rows, 30).get_page(f.get("page")), "form": form,
        "fields": ExpertiseField.objects.filter(body_id__in=readable),
        "sectors": Sector.objects.filter(body_id__in=readable),
        "can_add": bool(managed), "query_base": query.urlencode()}, status=status)


@login_required
def expert_edit(request: HttpRequest, pk: int) -> HttpResponse:
    expert = Expert.objects.filter(pk=pk, body_id__in=access.managing_bodies(request.user))\
        .first()
    if expert is None:
        raise Http404
    form = _expert_form(request, expert.body_id, expert)
    status = 200
    if request.method == "POST":
        status = _save_expert(request, form, expert.body_id, expert)
        if status == 302:
            return redirect("duties:experts")
    return render(request, "duties/expert_edit.html", {"form": form, "expert": expert},
                  status=status)


def _expert_form(request: HttpRequest, body_id: int, expert: Expert | None = None):
    initial = {"available": True}
    if expert is not None:
        initial = {"member": expert.member_id, "name": expert.name,
                   "employer": expert.employer, "phone": expert.phone,
                   "fields": list(expert.fields.all()), "profile": expert.profile,
                   "available": expert.available}
    return ExpertForm(request.POST or None, initial=initial,
                      members=experts.members_in(body_id), fields=experts.fields_of(body_id))


def _save_expert(request: HttpRequest, form, body_id: int, expert=None) -> int:
    if not form.is_valid():
        form.mark()
        return 400
    try:
        experts.save_expert(request.user, body_id, form.cleaned_data, expert)
    except Refusal as refusal:
        return form.refused(refusal)
    messages.success(request, _("人才库已更新。"))
    return 302
