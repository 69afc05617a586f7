"""Account pages: issuing activation codes (letters or SMS), and the security auditor's
view of the audit log."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lvzhi.core import activation, audit_log, exports
from lvzhi.core.errors import Refusal
from lvzhi.core.inputs import to_int
from lvzhi.core.models import Body
from lvzhi.core.responses import pdf_response

STATES = {"pending": gettext_lazy("未激活"), "activated": gettext_lazy("已激活"),
          "all": gettext_lazy("全部")}


def _address(request: HttpRequest) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("activate") if settings.SITE_URL \
        else request.build_absolute_uri(reverse("activate"))


@login_required
def activation_view(request: HttpRequest) -> HttpResponse:
    """Who has activated, and letters or SMS codes for those who have not."""
    bodies = activation.activating_bodies(request.user)
    if not bodies:
        raise Http404
    if request.method == "POST":
        return _issue(request)
    state = request.GET.get("state", "pending")
    state = state if state in STATES else "pending"
    rows = activation.members_for(request.user, state)
    body = to_int(request.GET.get("body"))
    if body in bodies:
        rows = rows.filter(body_id=body)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    counts = activation.members_for(request.user)
    return render(request, "core/activation.html", {
        "page": page, "state": state, "states": STATES, "body": body,
        "bodies": Body.objects.filter(pk__in=bodies),
        "total": counts.count(), "done": counts.filter(activated=True).count(),
        "days": settings.ACTIVATION_DAYS,
        "query_base": f"state={state}" + (f"&body={body}" if body else ""),
    })


def _issue(request: HttpRequest) -> HttpResponse:
    how = request.POST.get("how")
    ids = [i for i in (to_int(v) for v in request.POST.getlist("member")) if i]
    try:
        if how not in ("letters", "sms"):
            raise Refusal("bad_choice", _("请选择打印激活函或发送短信。"))
        issued, skipped = activation.issue(request.user, ids, request)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(request.get_full_path())
    if skipped:
        messages.warning(request, _("以下委员未发放激活码：%(names)s。")
                         % {"names": "、".join(skipped)})
    if not issued:
        return redirect(request.get_full_path())
    address = _address(request)
    if how == "sms":
        activation.send_codes(issued, address)
        messages.success(request, _("已向 %(n)s 位委员发送激活码短信。") % {"n": len(issued)})
        return redirect(request.get_full_path())
    return pdf_response(activation.letters_pdf(issued, address), _("账号激活通知书") + ".pdf",
                        download=True)  # a batch to print, not a page to read


@login_required
def audit_view(request: HttpRequest) -> HttpResponse:
    """The security auditor's page: the log, filtered; failures and refusals per day."""
    rows = audit_log.visible_records(request.user)
    form = audit_log.AuditFilterForm(request.GET or None)
    status = 200
    if form.is_bound and not form.is_valid():
        status, shown = 400, rows.none()
    else:
        shown = form.apply(rows) if form.is_bound else rows
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "core/audit.html", {
        "form": form, "page": page, "summary": audit_log.daily_summary(rows),
        "query_base": query.urlencode(),
        "days": audit_log.SUMMARY_DAYS}, status=status)


@login_required
@require_POST
def audit_export(request: HttpRequest) -> HttpResponse:
    """导出 Excel: written in the background with the page's filters, then downloaded."""
    audit_log.visible_records(request.user)  # 404 for anyone but an auditor
    try:
        audit_log.filter_form(request.GET)
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect(f"{reverse('audit')}?{request.GET.urlencode()}")
    return redirect("export", exports.start(request.user, "core.audit", request.GET).pk)
