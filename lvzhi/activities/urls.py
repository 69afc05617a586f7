from django.urls import path

from lvzhi.activities import views

app_name = "activities"
urlpatterns = [
    path("bases/", views.bases, name="bases"),
    path("bases/<int:pk>/", views.base, name="base"),
    path("", views.mine, name="mine"),
    path("manage/", views.manage, name="manage"),
    path("plan/", views.plan, name="plan"),
    path("plan/<int:pk>.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/checkin/", views.checkin, name="checkin"),
    path("<int:pk>/join/", views.join_online, name="join"),
    path("<int:pk>/screen/", views.screen, name="screen"),
    path("<int:pk>/screen/live/", views.screen_live, name="screen_live"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/attendance.xlsx", views.attendance_xlsx, name="attendance_xlsx"),
    path("<int:pk>/staff/<str:name>/", views.staff_act, name="staff_act"),
]
