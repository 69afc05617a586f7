"""Signing in and out: the login (and its second step), the second factor's enrolment,
passwords by code (忘记密码, 账号激活), signing out (everywhere)."""

from __future__ import annotations

import time
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lvzhi.core import audit, password_codes, services, two_factor
from lvzhi.core.auth import login_with_throttle
from lvzhi.core.errors import Refusal
from lvzhi.core.forms import LoginForm, OtpForm, PasswordCodeForm, PasswordSetForm
from lvzhi.core.models import User


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
            if two_factor.enrolled(user):  # the password is right; the code comes next
                request.session[OTP_PENDING] = {"user": user.pk, "at": time.time()}
                return redirect(f"{reverse('login_verify')}?"
                                f"{urlencode({'next': _next(request)})}")
            login(request, user)
            return redirect(_next(request))
    return render(request, "core/login.html", {"form": form}, status=status)


OTP_PENDING = "otp_pending"
OTP_PENDING_SECONDS = 300
OTP_TRIES = 5


def _next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        target = ""
    return target or reverse("home")


def _pending_user(request: HttpRequest) -> User | None:
    """Who is between password and code: a signed-in but unverified session, or the
    password just checked on the login page (for OTP_PENDING_SECONDS)."""
    if request.user.is_authenticated:
        return request.user
    pending = request.session.get(OTP_PENDING)
    if not pending or time.time() - pending["at"] > OTP_PENDING_SECONDS:
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def login_verify_view(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: the six digits from the phone app, or a recovery
    code."""
    user = _pending_user(request)
    if user is None:
        messages.info(request, _("请重新输入用户名和密码。"))
        return redirect("login")
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify(user, form.cleaned_data["token"], request)
        except Refusal as refusal:
            status = _form_refused(form, refusal)
            tries = request.session.get("otp_tries", 0) + 1
            request.session["otp_tries"] = tries
            if tries >= OTP_TRIES and not request.user.is_authenticated:
                request.session.pop(OTP_PENDING, None)
                request.session.pop("otp_tries", None)
                messages.error(request, _("动态验证码错误次数过多，请重新登录。"))
                return redirect("login")
        else:
            request.session.pop(OTP_PENDING, None)
            request.session.pop("otp_tries", None)
            if not request.user.is_authenticated:
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            django_otp.login(request, device)
            return redirect(_next(request))
    return render(request, "core/login_verify.html", {"form": form.mark()}, status=status)


@login_required
def two_factor_view(request: HttpRequest) -> HttpResponse:
    """Enrol a phone app (scan, then a first code), or see that one is enrolled and get
    new recovery codes."""
    user = request.user
    if two_factor.enrolled(user):
        if request.method == "POST" and user.is_verified():
            codes = two_factor.new_recovery_codes(user)
            return render(request, "core/two_factor_codes.html", {"codes": codes})
        return render(request, "core/two_factor.html", {"enrolled": True})
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm(user, form.cleaned_data["token"], request)
        except Refusal as refusal:
            status = _form_refused(form, refusal)
        else:
            return render(request, "core/two_factor_codes.html", {
                "codes": codes, "next": _next(request)})
    device = two_factor.start_enrolment(user)
    return render(request, "core/two_factor.html", {
        "form": form.mark(), "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret(device), "required": two_factor.required(user),
    }, status=status)


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
