"""The security audit log (安全审计): who did what, from where, with what outcome.

`record()` appends one row to a hash chain: the row's digest covers its fields and the
previous digest, and the head row (locked while appending) holds the newest digest and the
count. `verify()` walks the chain: an edited row, a deleted one (anywhere, the newest
included) or an inserted one breaks it. Rows cannot be changed or deleted through the app.
"""

from __future__ import annotations

import contextvars
import hashlib
from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lvzhi.core.models import AuditHead, AuditRecord, Member, Role
from lvzhi.core.models.people import password_changed
from lvzhi.core.models.records import ACTION_LABELS

GENESIS = "0" * 64

# The request being served, so that a record written from a signal (a role granted in the
# admin, a password changed) still carries the address and the acting person.
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "lvzhi_audit_request", default=None)

ACTIONS = ACTION_LABELS


def row_digest(row: AuditRecord) -> str:
    return hashlib.sha256(row.content().encode()).hexdigest()


def record(request: HttpRequest | None, action: str, outcome: str = "success", *,
           actor: Any = None, tried: str = "", target: str = "",
           detail: str = "") -> AuditRecord:
    from lvzhi.core.auth import client_address  # auth imports this module's signals

    request = request if request is not None else current_request.get()
    user = getattr(request, "user", None)
    if actor is None and user is not None and user.is_authenticated:
        actor = user
    actor = actor if getattr(actor, "pk", None) else None
    with transaction.atomic():
        head, _new = AuditHead.objects.select_for_update().get_or_create(pk=1)
        row = AuditRecord(
            created_at=timezone.now(), actor=actor,
            tried=tried[:150], action=action, outcome=outcome,
            ip=client_address(request)[:45] if request is not None else "",
            user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:200],
            target=target[:80], roles=roles_of(actor)[:120], detail=detail[:300],
            previous=head.digest)
        row.digest = row_digest(row)
        row.save()
        AuditHead.objects.filter(pk=1).update(digest=row.digest, count=head.count + 1)
    return row


def roles_of(user: Any) -> str:
    """The person's roles when they acted, as kind@body; a superuser says so."""
    if user is None:
        return ""
    # Only a request's own, already loaded roles: loading them here would cache them on a
    # user object that may yet gain roles (a signal fires before they are granted).
    cached = getattr(user, "_lvzhi_actor", None)
    # .order_by(): the models' orders join bodies, sectors and users, for nothing here.
    roles = cached.roles if cached is not None else {
        *Role.objects.filter(user=user).order_by().values_list("kind", "body_id"),
        *(("member", b) for b in Member.objects.filter(
            user=user, is_active=True, term__is_current=True).order_by().values_list(
                "body_id", flat=True))}
    names = sorted(f"{kind}@{body}" for kind, body in roles)
    return ",".join((["superuser"] if user.is_superuser else []) + names)


def verify() -> list[str]:
    """Every break in the chain, in Chinese; empty when the log is whole."""
    head = AuditHead.objects.filter(pk=1).first()
    # Archived rows left the table; the chain in it starts after the last of them.
    previous = head.archived_digest if head is not None else GENESIS
    archived = head.archived_count if head is not None else 0
    problems, count = [], 0
    for row in AuditRecord.objects.order_by("id").iterator():
        count += 1
        if row.previous != previous:
            problems.append(_("第 %(n)s 条之前的记录被删除或改动（链接不符）") % {"n": row.pk})
        if row_digest(row) != row.digest:
            problems.append(_("第 %(n)s 条记录的内容被改动") % {"n": row.pk})
        previous = row.digest
    if head is not None and (head.digest != previous or head.count != count + archived):
        problems.append(_("最新的记录被删除：应有 %(kept)s 条，现有 %(now)s 条") % {
            "kept": head.count - archived, "now": count})
    return problems


def recent_logins(user: Any, n: int = 10):
    """The person's sign-ins, and the failed tries at their username or mobile number."""
    names = [name for name in (user.username, user.mobile) if name]
    return AuditRecord.objects.filter(
        Q(actor=user, action="login") | Q(action="login_failed", tried__in=names))[:n]


# Django's own sign-in signals: the login page, the API's token and the admin all send them.
def _logged_in(sender, request, user, **kwargs) -> None:
    record(request, "login", actor=user, tried=user.get_username())


def _login_failed(sender, credentials, request=None, **kwargs) -> None:
    record(request, "login_failed", "failure", tried=str(credentials.get("username", "")))


def _logged_out(sender, request, user, **kwargs) -> None:
    record(request, "logout", actor=user)


def _password_changed(sender, user, **kwargs) -> None:
    by_admin = getattr(user, "password_set_by_admin", False)
    action = getattr(user, "audit_action", None) or (
        "password_set_by_admin" if by_admin else "password_changed")
    record(None, action, actor=user, target=f"user:{user.pk}")


def _role_saved(sender, instance, created, **kwargs) -> None:
    if created:
        record(None, "role_granted", target=f"user:{instance.user_id}",
               detail=f"{instance.kind}@{instance.body_id}")


def _role_deleted(sender, instance, **kwargs) -> None:
    record(None, "role_revoked", target=f"user:{instance.user_id}",
           detail=f"{instance.kind}@{instance.body_id}")


def _admin_logged(sender, instance, created, **kwargs) -> None:
    """Every change made in the admin site, with Django's own account of what changed."""
    if created:
        model = instance.content_type.model if instance.content_type_id else ""
        record(None, "admin_change", actor=instance.user,
               target=f"{model}:{instance.object_id}",
               detail=f"{instance.get_action_flag_display()} {instance.object_repr}："
                      f"{instance.get_change_message()}")


def connect() -> None:
    from django.contrib.admin.models import LogEntry
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_role_saved, sender=Role, dispatch_uid="audit-role-granted")
    post_delete.connect(_role_deleted, sender=Role, dispatch_uid="audit-role-revoked")
    post_save.connect(_admin_logged, sender=LogEntry, dispatch_uid="audit-admin-change")
    password_changed.connect(_password_changed, dispatch_uid="audit-password")
    user_logged_in.connect(_logged_in, dispatch_uid="audit-login")
    user_login_failed.connect(_login_failed, dispatch_uid="audit-login-failed")
    user_logged_out.connect(_logged_out, dispatch_uid="audit-logout")
