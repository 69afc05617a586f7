"""The security auditor's view of the audit log: what an auditor may see, filters, the daily
summary of failures and refusals, and the Excel export (in the background: the log keeps
every sign-in, and grows without end). Reading only: nothing here writes but the audit row
that records an export's download."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404, QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lvzhi.core.access import bodies_with
from lvzhi.core.audit import ACTIONS
from lvzhi.core.errors import Refusal
from lvzhi.core.exports import Progress, first_body
from lvzhi.core.models import AuditRecord, Body, User
from lvzhi.core.spreadsheets import StreamedSheet

SUMMARY_DAYS = 14


def visible_records(user: Any) -> QuerySet:
    """Rows about the people of the auditor's bodies (and their child bodies); the top
    body's auditor also sees attempts by no one known and the superuser's acts."""
    bodies = bodies_with(user, "audit.read")
    if not bodies:
        raise Http404
    scope = bodies | set(Body.objects.filter(parent_id__in=bodies).values_list("pk", flat=True))
    people = User.objects.filter(Q(roles__body_id__in=scope) | Q(memberships__body_id__in=scope))
    visible = Q(actor__in=people.values("pk"))
    if Body.objects.filter(pk__in=bodies, parent__isnull=True).exists():
        visible |= Q(actor__isnull=True) | Q(actor__is_superuser=True)
    return AuditRecord.objects.filter(visible).select_related("actor")


class AuditFilterForm(forms.Form):
    start = forms.DateField(label=_("起始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("截止日期"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    person = forms.CharField(label=_("人员（姓名、用户名或手机号）"), max_length=40,
                             required=False)
    action = forms.ChoiceField(label=_("动作"), required=False,
                               choices=[("", _("全部")), *ACTIONS.items()])
    outcome = forms.ChoiceField(label=_("结果"), required=False,
                                choices=[("", _("全部")), *AuditRecord.Outcome.choices])
    ip = forms.CharField(label=_("IP 地址"), max_length=45, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css + (" is-invalid" if name in self.errors else "")
            if name in self.errors:
                field.widget.attrs.update({"aria-invalid": "true",
                                           "aria-describedby": f"id_{name}_error"})

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", _("截止日期不能早于起始日期。"))
        return data

    def apply(self, rows: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("start"):
            rows = rows.filter(created_at__gte=_day_start(data["start"]))
        if data.get("end"):
            rows = rows.filter(created_at__lt=_day_start(data["end"] + datetime.timedelta(1)))
        if data.get("person"):
            who = data["person"].strip()
            rows = rows.filter(Q(actor__full_name__contains=who) | Q(actor__username=who)
                               | Q(actor__mobile=who) | Q(tried=who))
        for name in ("action", "outcome", "ip"):
            if data.get(name):
                rows = rows.filter(**{name: data[name].strip()})
        return rows


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def daily_summary(rows: QuerySet) -> list[dict]:
    """Failures and refusals per day over the last SUMMARY_DAYS days, newest first."""
    since = _day_start(timezone.localdate() - datetime.timedelta(SUMMARY_DAYS - 1))
    counts = rows.filter(created_at__gte=since).exclude(outcome="success").annotate(
        day=TruncDate("created_at")).values("day").annotate(
        failed=Count("id", filter=Q(action="login_failed")),
        locked=Count("id", filter=Q(action="login_locked")),
        refused=Count("id", filter=Q(action="access_refused")),
        other=Count("id", filter=~Q(action__in=["login_failed", "login_locked",
                                                "access_refused"]))).order_by("-day")
    return list(counts)


COLUMNS = [_("时间"), _("操作人"), _("用户名"), _("角色"), _("动作"), _("结果"), _("尝试的账号"),
           _("IP 地址"), _("客户端"), _("对象"), _("详情")]


def workbook(rows: QuerySet, progress: Progress | None = None) -> bytes:
    total = rows.count() if progress else 0
    sheet = StreamedSheet(str(_("安全审计日志")), COLUMNS)
    outcomes = dict(AuditRecord.Outcome.choices)
    for done, r in enumerate(rows.iterator(chunk_size=1000), start=1):
        sheet.append([
            timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            r.actor.full_name if r.actor else "", r.actor.username if r.actor else "",
            r.roles, r.action_label, str(outcomes.get(r.outcome, r.outcome)),
            r.tried, r.ip, r.user_agent, r.target, r.detail])
        if progress:
            progress(done, total)
    return sheet.bytes()


def filter_form(query: QueryDict) -> AuditFilterForm:
    """The page's filters; refused in Chinese when any is wrong (the page says which)."""
    form = AuditFilterForm(query or None)
    if form.is_bound and not form.is_valid():
        raise Refusal("bad_filter", _("筛选条件有误，请修改后再导出。"))
    return form


def export_body(user: Any) -> int | None:
    return first_body(bodies_with(user, "audit.read"))


def build_export(user: Any, query: QueryDict, progress: Progress) -> tuple[bytes, str]:
    form, rows = filter_form(query), visible_records(user)
    return workbook(form.apply(rows) if form.is_bound else rows, progress), \
        str(_("安全审计日志")) + ".xlsx"
