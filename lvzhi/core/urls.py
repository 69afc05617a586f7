from django.urls import path

from lvzhi.core import account_views, export_views, sign_in_views, views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", sign_in_views.login_view, name="login"),
    path("login/verify/", sign_in_views.login_verify_view, name="login_verify"),
    path("account/2fa/", sign_in_views.two_factor_view, name="two_factor"),
    path("logout/", sign_in_views.logout_view, name="logout"),
    path("logout/everywhere/", sign_in_views.logout_everywhere_view, name="logout_everywhere"),
    path("password/code/", sign_in_views.password_code_view, name="password_code"),
    path("password/set/", sign_in_views.password_set_view, name="password_set"),
    path("activate/", sign_in_views.activate_view, name="activate"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/notifications/", views.profile_notifications, name="profile_notifications"),
    path("inbox/", views.inbox_view, name="inbox"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
    path("inbox/<int:pk>/", views.notification_view, name="notification"),
    path("people/", views.people_view, name="people"),
    path("people/export.xlsx", views.people_export, name="people_export"),
    path("people/activation/", account_views.activation_view, name="activation"),
    path("audit/", account_views.audit_view, name="audit"),
    path("audit/export.xlsx", account_views.audit_export, name="audit_export"),
    path("people/import/", views.roster_import, name="roster_import"),
    path("people/import/template.xlsx", views.roster_template, name="roster_template"),
    path("people/import/confirm/", views.roster_confirm, name="roster_confirm"),
    path("attachments/<int:pk>/", views.attachment_view, name="attachment"),
    path("exports/<int:pk>/", export_views.export_view, name="export"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
]
