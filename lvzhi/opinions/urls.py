from django.urls import path

from lvzhi.opinions import views

app_name = "opinions"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.edit, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("office/", views.office, name="office"),
    path("office/export.xlsx", views.office_export, name="export"),
    path("office/combine/", views.combine_view, name="combine"),
    path("office/similar/", views.office_similar, name="similar"),
    path("office/publish/", views.publish_view, name="publish"),
    path("issues/<int:pk>/", views.issue, name="issue"),
    path("issues/<int:pk>.pdf", views.issue_pdf, name="issue_pdf"),
    path("bulletin/", views.bulletin, name="bulletin"),
    path("bulletin.xlsx", views.bulletin_xlsx, name="bulletin_xlsx"),
    path("bulletin.pdf", views.bulletin_pdf, name="bulletin_pdf"),
    path("stats/", views.stats, name="stats"),
]
