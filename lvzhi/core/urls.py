from django.urls import path

from lvzhi.core import account_views, views

urlpatterns = [
    path("", views.home_view, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere_view, name="logout_everywhere"),
    path("password/code/", views.password_code_view, name="password_code"),
    path("password/set/", views.password_set_view, name="password_set"),
    path("activate/", views.activate_view, name="activate"),
    path("profile/", views.profile_view, name="profile"),
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
]
