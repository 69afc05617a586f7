"""Core pages: home, profile, inbox, people directory, roster, attachments. Signing in and
out is in sign_in_views.py, account pages in account_views.py."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import audit, directory, home, roster, services
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.attachments import visible_attachment
from lvzhi.core.errors import Refusal
from lvzhi.core.export_views import start_view
from lvzhi.core.forms import RosterUploadForm, named_choices, options_html
from lvzhi.core.inputs import to_int
from lvzhi.core.models import (
    Body,
    Member,
    Notification,
    Position,
    Sector,
    SpecialCommittee,
)
from lvzhi.core.paging import IdsFirstPaginator
from lvzhi.core.responses import xlsx_response
from lvzhi.core.services import mark_all_read, mark_read


@login_required
def home_view(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    return render(request, "core/home.html", {
        "sections": home.sections_for(actor), "role_names": home.roles_summary(actor),
    })


@login_required
def profile_view(request: HttpRequest) -> HttpResponse:
    seats = Member.objects.filter(user=request.user).select_related("body", "term", "sector")\
        .prefetch_related("committees")
    return render(request, "core/profile.html", {
        "seats": seats, "roles": directory.roles_of(request.user),
        "logins": audit.recent_logins(request.user),
    })


@login_required
@require_POST
def profile_notifications(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("sms_urgent") == "on"
    services.set_sms_urgent(request.user, on)
    messages.success(request, _("已开启紧急事项短信提醒。") if on
                     else _("已关闭紧急事项短信提醒。"))
    return redirect("profile")


@login_required
def inbox_view(request: HttpRequest) -> HttpResponse:
    rows = Notification.objects.filter(recipient=request.user)
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
def notification_view(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, recipient=request.user)
    mark_read(note)
    if note.url and url_has_allowed_host_and_scheme(note.url, {request.get_host()}):
        return redirect(note.url)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_read(request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": count})
    return redirect("inbox")


@login_required
def people_view(request: HttpRequest) -> HttpResponse:
    visible = bodies_with(request.user, "people.view")
    if not visible:
        raise Http404
    filters = {
        "q": request.GET.get("q", ""),
        "body": to_int(request.GET.get("body")),
        "sector": to_int(request.GET.get("sector")),
        "committee": to_int(request.GET.get("committee")),
        "position": request.GET.get("position", ""),
    }
    # The page's ids from the narrow order keys, then thirty wide rows with their joins.
    page = IdsFirstPaginator(directory.search(request.user, **filters), 30).get_page(
        request.GET.get("page"))
    chosen = filters["body"] if filters["body"] in visible else None
    scope = [chosen] if chosen else visible
    bodies = list(Body.objects.filter(pk__in=visible))
    return render(request, "core/people.html", {
        "page": page, "filters": filters, "bodies": bodies,
        "options": {  # ready <option>s, not a template loop each
            "sector": options_html(named_choices(Sector, scope, several := len(bodies) > 1),
                                   filters["sector"]),
            "committee": options_html(named_choices(SpecialCommittee, scope, several),
                                      filters["committee"]),
            "position": options_html(Position.choices, filters["position"]),
        },
        "with_contacts": bodies_with(request.user, "people.view_contacts"),
        "can_export": bool(bodies_with(request.user, "people.export")),
        "can_activate": bool(bodies_with(request.user, "people.activate", write=True)),
        "query_base": _without_page(request),
    })


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


people_export = start_view("people.roster")


def _import_bodies(request: HttpRequest):
    bodies = bodies_with(request.user, "people.import", write=True)
    if not bodies:
        raise Http404
    return Body.objects.filter(pk__in=bodies)


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    bodies = _import_bodies(request)
    body = bodies.filter(pk=to_int(request.GET.get("body"))).first() or bodies.first()
    return xlsx_response(roster.template_workbook(body), _("委员名册模板") + ".xlsx")


@login_required
def roster_import(request: HttpRequest) -> HttpResponse:
    """Step 1: upload and see every row's problems. Nothing is saved here."""
    bodies = _import_bodies(request)
    form = RosterUploadForm(request.POST or None, request.FILES or None, bodies=bodies)
    context: dict = {"form": form, "bodies": bodies}
    status = 200
    if request.method == "POST" and form.is_valid():
        body = form.cleaned_data["body"]
        data = form.cleaned_data["file"].read()
        try:
            rows = roster.check_rows(body, roster.read_rows(data))
        except Refusal as refusal:
            form.add_error("file", refusal.message)
            status = 400
        else:
            context.update(rows=rows, body=body,
                           problems=sum(len(r.problems) for r in rows),
                           valid=not any(r.problems for r in rows))
            if context["valid"]:
                request.session["roster_upload"] = {
                    "body": body.pk, "data": base64.b64encode(data).decode()}
            else:
                request.session.pop("roster_upload", None)
                status = 400
    elif request.method == "POST":
        status = 400
    return render(request, "core/roster_import.html", context, status=status)


@login_required
@require_POST
def roster_confirm(request: HttpRequest) -> HttpResponse:
    """Step 2: save the checked file; checked again, since anything may have changed."""
    pending = request.session.get("roster_upload")
    bodies = _import_bodies(request)
    if not pending or not bodies.filter(pk=pending["body"]).exists():
        messages.error(request, _("没有待确认的名册，请重新上传。"))
        return redirect("roster_import")
    body = bodies.get(pk=pending["body"])
    try:
        rows = roster.read_rows(base64.b64decode(pending["data"]))
        created = roster.save_rows(body, rows, request.user)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("roster_import")
    del request.session["roster_upload"]
    messages.success(request, _("已导入 %(n)s 名委员。") % {"n": len(created)})
    return redirect(f"{reverse('people')}?body={body.pk}")


@login_required
def attachment_view(request: HttpRequest, pk: int) -> FileResponse:
    attachment = visible_attachment(request.user, pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True,
                        filename=attachment.original_name, content_type=attachment.mime_type)

