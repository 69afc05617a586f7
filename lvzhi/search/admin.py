from django.contrib import admin

from lvzhi.core.admin import BodyScopedAdmin
from lvzhi.search.models import SearchTerm


@admin.register(SearchTerm)
class SearchTermAdmin(BodyScopedAdmin):
    list_display = ["word", "body"]
    search_fields = ["word"]
