"""The duty record's pages about one member: 我的履职, declarations, corrections, a
member's record (for the office too) and its PDF, and a correction after approval. The
office's pages are in office_views.py, the expert pool's in expert_views.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.attachments import attachments_of
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.inputs import to_int
from lvzhi.core.responses import pdf_response
from lvzhi.duties import (
    access,
    experts,
    exports,
    kinds,
    record,
    workflow,
)
from lvzhi.duties.forms import DeclarationForm, OwnExpertiseForm
from lvzhi.duties.models import (
    Grade,
)


def year_param(request: HttpRequest, default: int) -> int:
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
    year = year_param(request, record.current_year(seat))
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
def own_expertise(request: HttpRequest) -> HttpResponse:
    """我的专长: the member's own entry in the expert pool (参政议政人才库)."""
    seats = list(access.own_seats(request.user))
    if not seats:
        raise Http404
    seat = next((s for s in seats if s.pk == to_int(request.GET.get("seat"))), seats[0])
    entry = experts.own_entry(seat)
    initial = {"available": True} if entry is None else {
        "fields": list(entry.fields.all()), "profile": entry.profile,
        "available": entry.available}
    form = OwnExpertiseForm(request.POST or None, initial=initial,
                            fields=experts.fields_of(seat.body_id))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                experts.save_own(request.user, seat, form.cleaned_data)
            except Refusal as refusal:
                status = form.refused(refusal)
            else:
                messages.success(request, _("专长信息已保存。"))
                return redirect(f"{reverse('duties:mine')}?seat={seat.pk}")
        form.mark()
    return render(request, "duties/own_expertise.html", {
        "form": form, "seat": seat, "seats": seats, "entry": entry}, status=status)


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
    return perform_or_show(request, workflow.DECLARATION, pk, name,
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
    return perform_or_show(request, workflow.CORRECTION, pk, name,
                lambda: reverse("duties:record", args=[row.member_id]) + f"?year={row.year}",
                lambda: member_record(with_query(request, year=row.year), row.member_id))


def with_query(request: HttpRequest, **query) -> HttpRequest:
    """The page to show again after a refused action, for the object acted on."""
    request.GET = request.GET.copy()
    for key, value in query.items():
        request.GET[key] = str(value)
    return request


def perform_or_show(request: HttpRequest, flow, pk: int, name: str, back, page) -> HttpResponse:
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


@login_required
def member_record(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access.seat_for(request.user, pk)
    year = year_param(request, record.current_year(seat))
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
        response = member_record(with_query(request, year=year), pk)
        response.status_code = refusal.status
        return response
    messages.success(request, _("考核结果已更正，形成新版本。"))
    return redirect(f"{reverse('duties:record', args=[pk])}?year={year}")


@login_required
def member_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    seat = access.seat_for(request.user, pk)
    year = year_param(request, record.current_year(seat))
    data = exports.record_pdf(record.build(seat, year), dict(Grade.choices))
    return pdf_response(data, _("%(name)s%(year)s年度履职档案") % {
        "name": seat.user.full_name, "year": year} + ".pdf")


