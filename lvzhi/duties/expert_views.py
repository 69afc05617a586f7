"""参政议政人才库 pages: search the pool; staff add and change entries."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lvzhi.core.errors import Refusal
from lvzhi.core.inputs import to_int
from lvzhi.core.models import Sector
from lvzhi.duties import access, experts
from lvzhi.duties.forms import ExpertForm
from lvzhi.duties.models import Expert, ExpertiseField


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
