from django.contrib import admin

from lvzhi.activities.models import ActivityRules, AnnualPlan, PlanItem, ResearchBase
from lvzhi.core.admin import BodyScopedAdmin


@admin.register(ActivityRules)
class ActivityRulesAdmin(BodyScopedAdmin):
    list_display = ["body", "notice_days_plenary", "notice_days_other", "leave_days",
                    "checkin_window_seconds"]


@admin.register(AnnualPlan)
class AnnualPlanAdmin(BodyScopedAdmin):
    list_display = ["title", "body", "year"]


@admin.register(PlanItem)
class PlanItemAdmin(BodyScopedAdmin):
    list_display = ["topic", "kind", "plan", "leader", "committee", "planned_month", "status"]
    list_filter = ["body", "kind", "status"]
    search_fields = ["topic"]


@admin.register(ResearchBase)
class ResearchBaseAdmin(BodyScopedAdmin):
    list_display = ["name", "kind", "body", "address", "is_active"]
    list_filter = ["body", "kind", "is_active"]
    search_fields = ["name", "topics"]
