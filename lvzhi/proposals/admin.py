from django.contrib import admin

from lvzhi.core.admin import BodyScopedAdmin
from lvzhi.proposals.models import ProposalRules


@admin.register(ProposalRules)
class ProposalRulesAdmin(BodyScopedAdmin):
    list_display = ["body", "office", "handling_months", "return_window_workdays",
                    "evaluation_workdays", "reminder_workdays"]
