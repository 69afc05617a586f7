from django.contrib import admin

from lvzhi.core.admin import BodyScopedAdmin
from lvzhi.supervision.models import SupervisionRules


@admin.register(SupervisionRules)
class SupervisionRulesAdmin(BodyScopedAdmin):
    list_display = ["body"]
