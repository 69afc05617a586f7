from django.contrib import admin

from lvzhi.core.admin import BodyScopedAdmin
from lvzhi.duties.models import ExpertiseField


@admin.register(ExpertiseField)
class ExpertiseFieldAdmin(BodyScopedAdmin):
    """The body's list of fields of expertise (the expert pool's tags)."""

    list_display = ["name", "body", "order"]
    search_fields = ["name"]
