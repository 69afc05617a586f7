from django.contrib import admin

from lvzhi.core.admin import BodyScopedAdmin
from lvzhi.ledgers.models import LedgerRules


@admin.register(LedgerRules)
class LedgerRulesAdmin(BodyScopedAdmin):
    list_display = ["body", "office", "remind_days"]
