"""The admin site, in Chinese, where body admins configure their own body.

A superuser sees everything. A body admin (Role kind body_admin, with is_staff set so the
admin lets them in) sees and edits only rows of the bodies they administer; the choices in
every foreign-key field are narrowed the same way, so they cannot attach a row to another
body's sector or term.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from lvzhi.core.access import bodies_with
from lvzhi.core.models import (
    Body,
    CalendarDay,
    Department,
    Event,
    HandlingUnit,
    Member,
    Role,
    Sector,
    Session,
    SpecialCommittee,
    Term,
    User,
)


def administered(request: HttpRequest) -> set[int]:
    return bodies_with(request.user, "body.configure", write=True)


class BodyScopedAdmin(admin.ModelAdmin):
    list_filter = ["body"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request))

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
        bodies = administered(request)
        return bool(bodies) and (obj is None or obj.body_id in bodies)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        return rows.filter(body_id__in=administered(request))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = _narrow(field.queryset, administered(request))
        return field

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and not request.user.is_superuser:
            field.queryset = _narrow(field.queryset, administered(request))
        return field


def _narrow(rows: QuerySet, bodies: set[int]) -> QuerySet:
    model = rows.model
    if model is Body:
        return rows.filter(pk__in=bodies)
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
    list_display = ["user", "body", "term", "position", "sector", "party", "is_active"]
    list_filter = ["body", "position", "party", "is_active"]
    search_fields = ["user__full_name", "user__mobile", "employer"]
    autocomplete_fields = ["user"]
    filter_horizontal = ["committees"]


@admin.register(Role)
class RoleAdmin(BodyScopedAdmin):
    list_display = ["user", "kind", "body", "department", "handling_unit", "affiliation"]
    list_filter = ["body", "kind"]
    search_fields = ["user__full_name", "user__mobile"]
    autocomplete_fields = ["user"]


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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """People. Body admins manage accounts of people who hold a seat or role in their body."""

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

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None):
        return [] if request.user.is_superuser else ["is_staff", "is_superuser", "last_login",
                                                      "date_joined"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or bool(administered(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if request.user.is_superuser:
            return True
        return bool(administered(request)) and (
            obj is None or self.get_queryset(request).filter(pk=obj.pk).exists())

    has_change_permission = has_view_permission

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        rows = super().get_queryset(request)
        if request.user.is_superuser:
            return rows
        bodies = administered(request)
        # People of the administered bodies, and accounts not yet placed in any body (so an
        # admin can finish setting up an account they have just created).
        return rows.filter(
            Q(memberships__body_id__in=bodies) | Q(roles__body_id__in=bodies)
            | Q(memberships__isnull=True, roles__isnull=True)
        ).distinct()
