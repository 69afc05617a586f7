from django.contrib import admin

from lvzhi.core.admin import BodyScopedAdmin
from lvzhi.opinions.models import OpinionRules, PointsTable


@admin.register(OpinionRules)
class OpinionRulesAdmin(BodyScopedAdmin):
    list_display = ["body", "office", "text_max"]


@admin.register(PointsTable)
class PointsTableAdmin(BodyScopedAdmin):
    list_display = ["body", "year", "submitted", "adopted_single", "adopted_combined",
                    "adopted_city", "adopted_province", "adopted_national", "yearly_cap"]
