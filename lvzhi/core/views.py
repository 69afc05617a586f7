"""Core pages: login, home, profile, inbox, people directory, roster, attachments."""

from __future__ import annotations

import base64

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import audit, directory, home, password_codes, roster, services
from lvzhi.core.access import actor_for, bodies_with
from lvzhi.core.attachments import visible_attachment
from lvzhi.core.auth import login_with_throttle
from lvzhi.core.errors import Refusal
from lvzhi.core.forms import LoginForm, PasswordCodeForm, PasswordSetForm, RosterUploadForm
from lvzhi.core.inputs import to_int
from lvzhi.core.models import (
    Body,
    Member,
    Notification,
    Position,
    Sector,
    SpecialCommittee,
    User,
)
from lvzhi.core.responses import xlsx_response
from lvzhi.core.services import mark_all_read, mark_read


def login_view(request: HttpRequest) -> HttpResponse:
    form = LoginForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = _login_from_form(request, form)
        except Refusal as refusal:
            form.add_error(None, refusal.message)
            status = refusal.status
        else:
            login(request, user)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                target = "home"
            return redirect(target or "home")
    return render(request, "core/login.html", {"form": form}, status=status)


def _login_from_form(request: HttpRequest, form: LoginForm) -> User:
    return login_with_throttle(request, form.cleaned_data["login"],
                               form.cleaned_data["password"])


def password_code_view(request: HttpRequest) -> HttpResponse:
    """首次登录或忘记密码: a code by SMS to the number on file."""
    form = PasswordCodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        mobile = form.cleaned_data["mobile"]
        try:
            password_codes.request_code(mobile)
        except Refusal as refusal:
            status = _form_refused(form, refusal)
        else:
            # The same words whether or not the number is on file.
            messages.success(request, _("如该手机号已登记，验证码已发送，%(m)s 分钟内有效。")
                             % {"m": password_codes.CODE_MINUTES})
            return redirect(f"{reverse('password_set')}?mobile={mobile.strip()}")
    if request.method == "POST" and status == 200:
        status = 400  # the form itself refused it
    return render(request, "core/password_code.html", {"form": form.mark()}, status=status)


def activate_view(request: HttpRequest) -> HttpResponse:
    """账号激活: the address on an activation letter; the same form as a code by SMS."""
    return password_set_view(request, activation=True)


def password_set_view(request: HttpRequest, activation: bool = False) -> HttpResponse:
    form = PasswordSetForm(request.POST or None, activation=activation,
                           initial={"mobile": request.GET.get("mobile", "")[:11]})
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = password_codes.set_password(data["mobile"], data["code"],
                                               data["password1"], data["password2"])
        except Refusal as refusal:
            status = _form_refused(form, refusal)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, _("密码已设置，欢迎使用履职平台。"))
            return redirect("home")
    if request.method == "POST" and status == 200:
        status = 400  # the form itself refused it
    return render(request, "core/password_set.html", {
        "form": form.mark(), "minutes": password_codes.CODE_MINUTES,
        "activation": activation}, status=status)


def _form_refused(form, refusal: Refusal) -> int:
    """Put a refusal on the form: each field it names, or the form as a whole."""
    if refusal.fields:
        for name, message in refusal.fields.items():
            form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, refusal.message)
    return refusal.status


@login_required
@require_POST
def logout_everywhere_view(request: HttpRequest) -> HttpResponse:
    """End every session and every phone's token of this account (a lost phone)."""
    services.sign_out_everywhere(request.user)
    audit.record(request, "logout_everywhere")
    logout(request)
    messages.success(request, _("已退出所有设备，请重新登录。"))
    return redirect("login")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


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
    page = Paginator(directory.search(request.user, **filters), 30).get_page(
        request.GET.get("page"))
    chosen = filters["body"] if filters["body"] in visible else None
    scope = [chosen] if chosen else visible
    return render(request, "core/people.html", {
        "page": page, "filters": filters,
        "bodies": Body.objects.filter(pk__in=visible),
        "sectors": Sector.objects.filter(body_id__in=scope).select_related("body"),
        "committees": SpecialCommittee.objects.filter(body_id__in=scope).select_related("body"),
        "positions": Position.choices,
        "with_contacts": bodies_with(request.user, "people.view_contacts"),
        "can_export": bool(bodies_with(request.user, "people.export")),
        "can_activate": bool(bodies_with(request.user, "people.activate", write=True)),
        "query_base": _without_page(request),
    })


def _without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
def people_export(request: HttpRequest) -> HttpResponse:
    allowed = bodies_with(request.user, "people.export")
    if not allowed:
        raise Http404
    seats = directory.search(request.user, q=request.GET.get("q", ""),
                             body=to_int(request.GET.get("body")),
                             sector=to_int(request.GET.get("sector")),
                             committee=to_int(request.GET.get("committee")),
                             position=request.GET.get("position", ""))
    data = roster.export_workbook(seats.filter(body_id__in=allowed))
    return xlsx_response(data, "委员名册.xlsx")


def _import_bodies(request: HttpRequest):
    bodies = bodies_with(request.user, "people.import", write=True)
    if not bodies:
        raise Http404
    return Body.objects.filter(pk__in=bodies)


@login_required
def roster_template(request: HttpRequest) -> HttpResponse:
    bodies = _import_bodies(request)
    body = bodies.filter(pk=to_int(request.GET.get("body"))).first() or bodies.first()
    return xlsx_response(roster.template_workbook(body), "委员名册模板.xlsx")


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

