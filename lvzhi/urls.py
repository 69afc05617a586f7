from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy

from lvzhi.api import site as api_site
from lvzhi.core import health, metrics

admin.site.site_header = gettext_lazy("履职平台 · 系统管理")
admin.site.site_title = gettext_lazy("履职平台")
admin.site.index_title = gettext_lazy("系统配置")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/", api_site.urls()),
    path("i18n/", include("django.conf.urls.i18n")),
    path("password/", auth_views.PasswordChangeView.as_view(
        template_name="core/password_change.html", success_url="/profile/"),
        name="password_change"),
    path("proposals/", include("lvzhi.proposals.urls")),
    path("opinions/", include("lvzhi.opinions.urls")),
    path("duties/", include("lvzhi.duties.urls")),
    path("ledgers/", include("lvzhi.ledgers.urls")),
    path("supervision/", include("lvzhi.supervision.urls")),
    path("activities/", include("lvzhi.activities.urls")),
    path("search/", include("lvzhi.search.urls")),
    path("", include("lvzhi.core.urls")),
]

handler400 = "lvzhi.core.error_pages.bad_request"
handler403 = "lvzhi.core.error_pages.permission_denied"
handler404 = "lvzhi.core.error_pages.page_not_found"
handler500 = "lvzhi.core.error_pages.server_error"
