from django.urls import path

from lvzhi.supervision import views

app_name = "supervision"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/", views.report, name="report"),
    path("plan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path("plan/import/", views.plan_import, name="plan_import"),
    path("figures/", views.figures, name="figures"),
    path("figures.xlsx", views.figures_xlsx, name="figures_xlsx"),
    path("topics/<int:pk>/", views.topic, name="topic"),
    path("topics/<int:pk>/report.pdf", views.topic_pdf, name="topic_pdf"),
    path("topics/<int:pk>/act/<str:name>/", views.topic_act, name="topic_act"),
    path("supervisors/", views.supervisors, name="supervisors"),
    path("supervisors/<int:pk>/", views.supervisor, name="supervisor"),
    path("supervisors/<int:pk>/act/<str:name>/", views.supervisor_act, name="supervisor_act"),
    path("problems/<int:pk>/", views.problem, name="problem"),
    path("problems/<int:pk>/act/<str:name>/", views.problem_act, name="problem_act"),
]
