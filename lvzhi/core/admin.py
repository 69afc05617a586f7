"""The admin site, in Chinese, where body admins configure their own body.

A superuser sees everything. A body admin (Role kind body_admin, with is_staff set so the
admin lets them in) sees and edits only rows of the bodies they administer; the choices in
every foreign-key field are narrowed the same way, so they cannot attach a row to another
body's sector or term.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lvzhi.core import audit, two_factor
from lvzhi.core.access import bodies_with
from lvzhi.core.auth import unlock
from lvzhi.core.events import record_event
from lvzhi.core.models import (
    Body,
    CalendarDay,
    Department,
    Event,
    HandlingUnit,
    Member,
    OutboxMessage,
    PasswordPolicy,
    PeriodicRun,
    Role,
    RoleKind,
    Sector,
    Session,
    SpecialCommittee,
    Term,
    User,
)
from lvzhi.core.models.people import ADMIN_DUTIES


def administered(request: HttpRequest, perm: str = "body.configure") -> set[int]:
    return bodies_with(request.user, perm, write=True)


class BodyScopedAdmin(admin.ModelAdmin):
    """Rows of the bodies where the user holds `perm`: configuration is the system
    administrator's; seats and roles are the security administrator's (三员分立)."""

    list_filter = ["body"]
    perm = "body.configure"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request, self.perm))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request, None)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request, obj)

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        if request.user.is_superuser:
            return True
        bodies = administered(request, self.perm)
        return bool(bodies) and (obj is None or obj.body_id in bodies)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(body_id__in=administered(request, self.perm))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = _narrow(field.queryset, administered(request, self.perm))
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = _narrow(field.queryset, administered(request, self.perm))
        return field


def _narrow(rows: QuerySet, bodies: set[int]) -> QuerySet:
    model = rows.model
    if model is Body:
        return rows.filter(pk__in=bodies)
    if model is User:
        return rows.filter(pk__in=accounts_of(bodies))
    if any(f.name == "body" for f in model._meta.get_fields()):
        return rows.filter(body_id__in=bodies)
    return rows


@admin.register(Body)
class BodyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "level", "parent", "member_directory"]
    list_filter = ["level"]
    search_fields = ["name"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or bool(
            administered(request) and (obj is None or obj.pk in administered(request)))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_view_permission(request, obj)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        return rows if request.user.is_superuser else rows.filter(pk__in=administered(request))

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        # A body admin sets their body's options but not its place in the hierarchy.
        return [] if request.user.is_superuser else ["code", "level", "parent"]


@admin.register(Term)
class TermAdmin(BodyScopedAdmin):
    list_display = ["__str__", "body", "start_date", "end_date", "is_current"]


@admin.register(Session)
class SessionAdmin(BodyScopedAdmin):
    list_display = ["__str__", "body", "start_date", "end_date", "proposal_window_start",
                    "proposal_window_end"]


@admin.register(SpecialCommittee, Department)
class NamedUnitAdmin(BodyScopedAdmin):
    list_display = ["name", "body", "order"]
    search_fields = ["name"]


@admin.register(Sector)
class SectorAdmin(BodyScopedAdmin):
    list_display = ["name", "kind", "body", "order"]
    list_filter = ["body", "kind"]
    search_fields = ["name"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(BodyScopedAdmin):
    list_display = ["name", "kind", "body", "is_active"]
    list_filter = ["body", "kind", "is_active"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(BodyScopedAdmin):
    perm = "accounts.manage"
    list_display = ["user", "body", "term", "position", "sector", "party", "is_active"]
    list_filter = ["body", "position", "party", "is_active"]
    search_fields = ["user__full_name", "user__mobile", "employer"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["committees"]


# Roles that reach beyond one body or administer it: only a superuser grants them, so no
# administrator can raise their own or a colleague's privileges (三员分立).
SUPERUSER_ROLES = frozenset({RoleKind.OVERSIGHT, *ADMIN_DUTIES})


@admin.register(Role)
class RoleAdmin(BodyScopedAdmin):
    perm = "accounts.manage"
    list_display = ["user", "kind", "body", "department", "handling_unit", "affiliation"]
    list_filter = ["body", "kind"]
    search_fields = ["user__full_name", "user__mobile"]
    autocomplete_fields = ["user"]

    def _allowed(self, request: HttpRequest, obj: Any) -> bool:
        if request.user.is_superuser:
            return True
        # A body admin never edits their own roles nor a role only a superuser grants.
        if obj is not None and (obj.user_id == request.user.pk or obj.kind in SUPERUSER_ROLES):
            return False
        return super()._allowed(request, obj)

    def formfield_for_choice_field(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        if db_field.name == "kind" and not request.user.is_superuser:
            kwargs["choices"] = [(k, label) for k, label in RoleKind.choices
                                 if k not in SUPERUSER_ROLES and k != RoleKind.MEMBER]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None and not request.user.is_superuser:
            field.queryset = field.queryset.exclude(pk=request.user.pk)
        return field


@admin.register(PasswordPolicy)
class PasswordPolicyAdmin(BodyScopedAdmin):
    """The body's password rules: the security administrator's (三员分立)."""

    perm = "accounts.manage"
    list_display = ["body", "min_length", "expiry_days_staff", "expiry_days"]


@admin.register(Event)
class EventAdmin(BodyScopedAdmin):
    list_display = ["created_at", "body", "actor", "content_type", "object_id", "action",
                    "from_state", "to_state"]
    list_filter = ["body", "action"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(BodyScopedAdmin):
    """Mail the platform could not send yet (or gave up on), with the reason."""

    list_display = ["created_at", "subject", "channel", "attempts", "sent_at", "last_error"]
    list_filter = ["body", "channel", ("sent_at", admin.EmptyFieldListFilter)]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """The national holiday schedule: any body admin may enter next year's schedule."""

    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    has_change_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)


class _SetByAdmin:
    """A password an admin sets is known to two people: its owner must change it first."""

    def save(self, commit: bool = True):
        self.user_being_set.password_set_by_admin = True
        return super().save(commit)


class AdminPasswordForm(_SetByAdmin, AdminPasswordChangeForm):
    @property
    def user_being_set(self):
        return self.user


class AdminCreationForm(_SetByAdmin, AdminUserCreationForm):
    @property
    def user_being_set(self):
        return self.instance


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People. Security administrators manage accounts of people who hold a seat or role in
    their body; unlocking a locked account is an action here."""

    actions = ["unlock", "reset_two_factor"]

    list_display = ["username", "full_name", "mobile", "is_active", "last_login"]
    search_fields = ["username", "full_name", "mobile"]
    ordering = ["full_name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "mobile", "email", "gender", "ethnicity")}),
        (_("状态"), {"fields": ("is_active", "is_staff", "is_superuser", "last_login",
                              "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": (
        "username", "full_name", "mobile", "password1", "password2")}),)
    list_filter = ["is_active", "is_staff"]
    add_form = AdminCreationForm
    change_password_form = AdminPasswordForm

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return [] if request.user.is_superuser else ["is_staff", "is_superuser", "last_login",
                                                      "date_joined"]

    @admin.action(description=_("解除登录锁定"))
    def unlock(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            if self.has_change_permission(request, user):
                unlock(user)
                audit.record(request, "account_unlocked", target=f"user:{user.pk}")
        self.message_user(request, _("已解除所选账号的登录锁定。"))

    @admin.action(description=_("重置双因素认证（手机丢失）"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet) -> None:
        for user in queryset:
            if self.has_change_permission(request, user) and user != request.user:
                two_factor.reset(user, request)
        self.message_user(request, _("已重置所选账号的双因素认证，本人下次登录时重新启用。"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request, ACCOUNTS))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        return bool(administered(request, ACCOUNTS)) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists())

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """A body admin changes (and sets passwords of) only accounts wholly inside the
        bodies they administer: not another admin's, not one that also sits elsewhere."""
        if request.user.is_superuser or obj is None:
            return self.has_view_permission(request, obj)
        if obj.pk == request.user.pk:
            return True
        bodies = administered(request, ACCOUNTS)
        return (self.has_view_permission(request, obj) and not obj.is_staff
                and not Member.objects.filter(user=obj).exclude(body_id__in=bodies).exists()
                and not Role.objects.filter(user=obj).exclude(body_id__in=bodies).exists())

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(pk__in=accounts_of(administered(request, ACCOUNTS)))

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        bodies = sorted(administered(request, ACCOUNTS))
        if not change and bodies and not request.user.is_superuser:
            # Remembers which body created the account, so its admin can finish setting it
            # up before it holds a seat or a role.
            record_event(obj, ACCOUNT_CREATED, request.user, body_id=bodies[0])


ACCOUNT_CREATED = "account_created"
ACCOUNTS = "accounts.manage"


def accounts_of(bodies: set[int]) -> QuerySet:
    """Accounts a body admin of `bodies` may see: people with a seat or role there, and
    accounts created there and not yet placed. Never a superuser."""
    created = Event.objects.filter(
        body_id__in=bodies, action=ACCOUNT_CREATED,
        content_type=ContentType.objects.get_for_model(User)).values("object_id")
    return User.objects.filter(
        Q(memberships__body_id__in=bodies) | Q(roles__body_id__in=bodies)
        | Q(pk__in=created, memberships__isnull=True, roles__isnull=True)
    ).exclude(is_superuser=True).values("pk")


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    """The periodic jobs' runs (core/periodic.py): when, on which host, with what result.
    Read-only, for the superusers and the bodies' system administrators."""

    list_display = ["job", "period", "state", "host", "started_at", "finished_at", "output"]
    list_filter = ["job", "state"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        from lvzhi.core.periodic import missed

        late = missed()
        if late:
            messages.warning(request, _("逾期未运行：%(jobs)s") % {
                "jobs": "、".join(str(job.label) for job in late)})
        return super().changelist_view(request, extra_context)
