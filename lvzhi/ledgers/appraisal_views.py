"""区县政协工作考核 pages: the city's appraisals, one appraisal with every district's
sheet and the office's steps, one district's sheet (self-assessment, the city's scoring),
and the result letter (通报) as PDF."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from weasyprint import HTML

from lvzhi.core import figures
from lvzhi.core.access import bodies_with
from lvzhi.core.errors import Refusal
from lvzhi.core.events import history
from lvzhi.core.inputs import to_decimal, to_int
from lvzhi.core.models import Body
from lvzhi.core.responses import pdf_response
from lvzhi.ledgers import appraisal as A
from lvzhi.ledgers import services
from lvzhi.ledgers.appraisal_flow import APPRAISAL, SCORE, district_sheet
from lvzhi.ledgers.models import DistrictAppraisal, DistrictScore

S = DistrictAppraisal.State


def _city_office(request: HttpRequest) -> Body | None:
    for body in Body.objects.filter(pk__in=bodies_with(request.user, "ledgers.read_all"),
                                    level=Body.Level.CITY):
        if services.reviews(request.user, body.pk):
            return body
    return None


@login_required
def appraisals(request: HttpRequest) -> HttpResponse:
    """The appraisals this person sees; the city's office starts the year's."""
    rows = A.appraisals_for(request.user).select_related("body")
    if not rows.exists() and not bodies_with(request.user, "ledgers.read_all"):
        raise Http404
    city = _city_office(request)
    posted: Any = request.POST if request.method == "POST" else None
    errors: dict[str, str] = {}
    status = 200
    if posted is not None:
        if city is None:
            raise Http404
        try:
            appraisal = A.create(request.user, city, _year(posted), _create_values(posted))
        except Refusal as refusal:
            errors, status = refusal.fields or {"scheme": refusal.message}, refusal.status
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("已启动考核，并通知各区县政协开展自评。"))
            return redirect(appraisal.get_absolute_url())
    return render(request, "ledgers/appraisals.html", {
        "rows": rows, "city": city, "posted": posted, "errors": errors,
        "default_scheme": A.DEFAULT_SCHEME, "year": timezone.localdate().year,
        "figures": figures.FIGURES.values()}, status=status)


def _year(posted: Any) -> int:
    year = to_int(posted.get("year"))
    return year if year and 2000 <= year <= 2100 else timezone.localdate().year


def _create_values(posted: Any) -> dict[str, Any]:
    try:
        until = datetime.date.fromisoformat(posted.get("self_until", ""))
    except ValueError:
        until = None
    return {"scheme": posted.get("scheme", ""), "self_until": until,
            "extra_cap": to_decimal(posted.get("extra_cap", ""))}


def _appraisal(request: HttpRequest, pk: int) -> DistrictAppraisal:
    row = A.appraisals_for(request.user).select_related("body").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@login_required
def appraisal(request: HttpRequest, pk: int, *, status: int = 200) -> HttpResponse:
    a = _appraisal(request, pk)
    sheets = A.scores_for(request.user).filter(appraisal=a).select_related("body")
    city_reader = a.body_id in bodies_with(request.user, "ledgers.read_all")
    return render(request, "ledgers/appraisal.html", {
        "a": a, "sheets": sheets.order_by("rank", "body_id") if city_reader else [],
        "mine": district_sheet(request.user, a), "city_reader": city_reader,
        # The ranking reaches the districts with the 通报, not before.
        "ranking": a.scores.select_related("body").order_by("rank", "body_id")
        if a.state == S.PUBLISHED else [],
        "actions": APPRAISAL.allowed_actions(a, request.user),
        "labels": {n: act.label for n, act in APPRAISAL.actions.items()},
        "events": [(e, APPRAISAL.event_label(e.action)) for e in history(a)],
        "today": timezone.localdate(), "figures": figures.FIGURES}, status=status)


@login_required
@require_POST
def appraisal_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _perform(request, APPRAISAL, pk, name, lambda: reverse("ledgers:appraisal",
                                                                  args=[pk]),
                    lambda status, error: appraisal(request, pk, status=status))


def _sheet(request: HttpRequest, pk: int) -> DistrictScore:
    row = A.scores_for(request.user).select_related("appraisal", "body").filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@login_required
def score(request: HttpRequest, pk: int, *, status: int = 200,
          error: Refusal | None = None) -> HttpResponse:
    sheet = _sheet(request, pk)
    a = sheet.appraisal
    city_reader = a.body_id in bodies_with(request.user, "ledgers.read_all")
    shown = city_reader or a.state == S.PUBLISHED  # the city's scores, to the district
    live = figures.figures_of(sheet.body_id, a.year, [i["figure"] for i in a.items
                                                      if i["figure"]]) \
        if city_reader and a.state in (S.SELF, S.SCORING) else sheet.figures
    actions = SCORE.allowed_actions(sheet, request.user)
    posted = request.POST if error else {}
    return render(request, "ledgers/score.html", {
        "s": sheet, "a": a, "shown": shown, "city_reader": city_reader,
        "lines": _lines(sheet, live, posted),
        "self_total": A.total(a, sheet.self_scores, sheet.self_extra)
        if sheet.state != DistrictScore.State.PENDING else None,
        "can_self": "self_assess" in actions and a.state == S.SELF,
        "can_score": "score" in actions and a.state == S.SCORING,
        "field_errors": (error.fields or {}) if error else {}, "posted": posted,
        "letter": a.state == S.PUBLISHED or (city_reader and a.state == S.APPROVED),
        "events": [(e, SCORE.event_label(e.action)) for e in history(sheet)],
    }, status=status)


def _lines(sheet: DistrictScore, live: dict[str, float], posted: Any) -> list[dict]:
    """Each item with its figure, the suggested points, the district's and the city's."""
    lines = []
    for item in sheet.appraisal.items:
        code, fig = item["code"], figures.FIGURES.get(item["figure"])
        value = live.get(item["figure"]) if fig else None
        hint = A.suggested(item, value) if fig else None
        lines.append({
            **item, "figure_label": fig.label if fig else "", "unit": fig.unit if fig else "",
            "value": value, "suggested": hint,
            "self": sheet.self_scores.get(code), "score": sheet.scores.get(code),
            "note": sheet.notes.get(code, ""),
            "self_input": posted.get(f"self_{code}", sheet.self_scores.get(code, "")),
            "score_input": posted.get(f"score_{code}", sheet.scores.get(code, hint if hint
                                                                         is not None else "")),
            "note_input": posted.get(f"note_{code}", sheet.notes.get(code, ""))})
    return lines


@login_required
@require_POST
def score_act(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _perform(request, SCORE, pk, name, lambda: reverse("ledgers:score", args=[pk]),
                    lambda status, error: score(request, pk, status=status, error=error))


def _perform(request: HttpRequest, flow, pk: int, name: str, back, page) -> HttpResponse:
    """One action; a refusal shows the page again, as typed, with its message and 4xx."""
    if name not in flow.actions:
        raise Http404
    params = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
    try:
        flow.perform(pk, name, request.user, **params)
    except Refusal as refusal:
        if refusal.status == 404:
            raise Http404 from None
        if not refusal.fields:  # those the page lists at the top, each field marked
            messages.error(request, refusal.message)
        return page(refusal.status, refusal)
    messages.success(request, _("已完成：%(a)s。") % {"a": flow.actions[name].label})
    return redirect(back())


@login_required
def letter(request: HttpRequest, pk: int) -> HttpResponse:
    """通报: one district's result, to its party committee, once the meeting approved it."""
    sheet = _sheet(request, pk)
    a = sheet.appraisal
    city_reader = a.body_id in bodies_with(request.user, "ledgers.read_all")
    if not (a.state == S.PUBLISHED or (city_reader and a.state == S.APPROVED)):
        raise Http404
    html = render_to_string("ledgers/pdf/letter.html", {
        "s": sheet, "a": a, "lines": _lines(sheet, sheet.figures, {}),
        "count": a.scores.count()})
    return pdf_response(HTML(string=html).write_pdf(),
                        _("%(title)s结果通报（%(body)s）") % {
                            "title": a.title, "body": sheet.body.short_name} + ".pdf")
