"""The office's pages of the duty record: the body's table and its export, declarations
waiting, recomputing, the rule set, the year close, the districts side by side."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, NamedTuple

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core.errors import Refusal
from lvzhi.core.events import history, kept_until_change
from lvzhi.core.export_views import start_view
from lvzhi.core.exports import Progress, first_body
from lvzhi.core.forms import choice_labels, kept_options, options_html
from lvzhi.core.inputs import to_int
from lvzhi.core.models import Body, Party, Sector, SpecialCommittee
from lvzhi.core.paging import IdsFirstPaginator
from lvzhi.core.paths import object_url
from lvzhi.duties import access, exports, kinds, schemes, services, tasks, workflow
from lvzhi.duties.forms import RulesForm
from lvzhi.duties.models import (
    Correction,
    Declaration,
    EvaluationYear,
    Grade,
    MemberEvaluation,
)
from lvzhi.duties.views import perform_or_show, with_query, year_param


def _reading_body(request: HttpRequest) -> Body:
    return _chosen_body(request.user, request.GET.get("body") or request.POST.get("body"))


def _chosen_body(user: Any, chosen: Any) -> Body:
    """The body asked for if the person reads it, else the first they read; 404 if none."""
    bodies = access.reading_bodies(user)
    if not bodies:
        raise Http404
    chosen = to_int(chosen)
    return Body.objects.filter(pk=chosen if chosen in bodies else min(bodies)).first()


def _office_rows(f: QueryDict, body: Body, year: int, *, defer: tuple = ("categories",)):
    """The table's rows with the page's filters (`defer`: columns the page does not show;
    the export shows the categories)."""
    rows = MemberEvaluation.objects.filter(body=body, year=year).select_related(
        "member__user", "member__sector").defer("warned", *defer)
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
    year = year_param(request, services.year_of(body.pk, timezone.localdate()))
    state = services.year_state(body.pk, year)
    if not state.frozen and not MemberEvaluation.objects.filter(body=body, year=year).exists():
        services.recompute(body.pk, year)
    rows = _office_rows(request.GET, body, year)
    page = IdsFirstPaginator(rows, 30, fetch=_page_rows(year)).get_page(request.GET.get("page"))
    g = request.GET
    setup = kept_options("duties.office", [body.pk], lambda: _setup_choices(body.pk))
    everyone = MemberEvaluation.objects.filter(body=body, year=year)
    query = request.GET.copy()
    query.pop("page", None)
    exported = query.copy()  # the export takes what the page shows: filters, body, year
    exported["body"], exported["year"] = str(body.pk), str(year)
    return render(request, "duties/office.html", {
        "body": body, "year": year, "state": state, "page": page, "query_base": query.urlencode(),
        "export_query": exported.urlencode(),
        "bodies": Body.objects.filter(pk__in=access.reading_bodies(request.user)),
        "options": {  # ready <option>s, not a template loop each
            "sector": options_html(setup["sector"], g.get("sector", "")),
            "committee": options_html(setup["committee"], g.get("committee", "")),
            "party": options_html(Party.choices, g.get("party", "")),
            "grade": options_html(Grade.choices, g.get("grade", "")),
        },
        "grades": Grade.choices,
        **_figures(body.pk, year),
        # by sector only when asked for: a grouped count over every member of the body
        "by_sector": _by_sector(everyone) if request.GET.get("sectors") else None,
        **kept_until_change(("duties.waiting", year), [body.pk], lambda: _waiting(body, year)),
        "manages": body.pk in access.managing_bodies(request.user),
    })


class Row(NamedTuple):
    """One member's line of the table, from values (thirty results with their members,
    users and sectors as model instances cost more than the rest of the page)."""

    rank_body: int
    url: str
    name: str
    sector: str
    total: Decimal
    grade_label: str
    missing: list
    at_risk: list


def _page_rows(year: int) -> Callable[[list[int]], list[Row]]:
    def rows(ids: list[int]) -> list[Row]:
        grades = choice_labels(Grade)
        found = {pk: rest for pk, *rest in MemberEvaluation.objects.filter(pk__in=ids)
                 .values_list("pk", "rank_body", "member_id", "member__user__full_name",
                              "member__sector__name", "total", "grade", "missing", "at_risk")}
        return [Row(rank, f"{object_url('duties:record', member)}?year={year}", name,
                    sector or "", total, grades.get(grade, ""), missing, at_risk)
                for rank, member, name, sector, total, grade, missing, at_risk
                in (found[pk] for pk in ids)]
    return rows


def _setup_choices(body_id: int) -> dict[str, list[tuple[int, str]]]:
    return {"sector": list(Sector.objects.filter(body_id=body_id).values_list("pk", "name")),
            "committee": list(SpecialCommittee.objects.filter(body_id=body_id)
                              .values_list("pk", "name"))}


def _waiting(body: Body, year: int) -> dict[str, int]:
    """Declarations and corrections waiting for the office (kept until the body's next
    event: each of theirs leaves one)."""
    return {"pending": Declaration.objects.filter(body=body, state=Declaration.State.PENDING)
            .count(),
            "corrections": Correction.objects.filter(body=body, year=year,
                                                     state=Correction.State.PENDING).count()}


def _by_sector(rows) -> list[tuple[str, list[int]]]:
    """Each sector's count per grade, in the grades' order (one query)."""
    counts: dict[str, dict[str, int]] = {}
    for sector, grade, n in rows.values_list("member__sector__name", "grade").annotate(
            n=Count("id")).order_by("member__sector__name"):
        counts.setdefault(sector, {})[grade] = n
    return [(sector, [grades.get(code, 0) for code in Grade.values])
            for sector, grades in counts.items()]


def _figures(body_id: int, year: int) -> dict:
    """The grade counts and the at-risk count (kept by services.figures)."""
    counts = services.figures(body_id, year)
    return {"distribution": [(label, counts["grades"][code]) for code, label in Grade.choices],
            "at_risk": counts["at_risk"], "members": counts["members"]}


office_export = start_view("duties.year")


def export_body(user: Any) -> int | None:
    return first_body(access.reading_bodies(user))


def build_year_export(user: Any, query: QueryDict, progress: Progress) -> tuple[bytes, str]:
    """导出 Excel of 本政协考核表: the body and year the page showed, with its filters."""
    body = _chosen_body(user, query.get("body"))
    year = to_int(query.get("year"))
    if not (year and 2000 <= year <= 2100):  # as the page reads it (year_param)
        year = services.year_of(body.pk, timezone.localdate())
    rows = _office_rows(query, body, year, defer=())
    return (exports.year_workbook(rows, year, progress),
            _("%(body)s%(year)s年度履职考核") % {"body": body.short_name, "year": year}
            + ".xlsx")


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
def rules(request: HttpRequest) -> HttpResponse:
    bodies = access.managing_bodies(request.user)
    if not bodies:
        raise Http404
    chosen = to_int(request.GET.get("body"))
    body = Body.objects.get(pk=chosen if chosen in bodies else min(bodies))
    year = year_param(request, services.year_of(body.pk, timezone.localdate()))
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
    year = year_param(request, services.year_of(body.pk, timezone.localdate()))
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
    return perform_or_show(request, workflow.YEAR, pk, name,
                lambda: f"{reverse('duties:year')}?body={row.body_id}&year={row.year}",
                lambda: year_view(with_query(request, body=row.body_id, year=row.year)))


@login_required
def districts(request: HttpRequest) -> HttpResponse:
    """City oversight: each district's members, grades and at-risk count, side by side."""
    from lvzhi.core.access import actor_for

    children = actor_for(request.user).oversight_children
    if not children:
        raise Http404
    year = year_param(request, timezone.localdate().year)
    rows = []
    for body in Body.objects.filter(pk__in=children):
        rows.append({"body": body, **_figures(body.pk, year),
                     "state": services.year_state(body.pk, year)})
    return render(request, "duties/districts.html", {"rows": rows, "year": year,
                                                     "grades": Grade.choices})
