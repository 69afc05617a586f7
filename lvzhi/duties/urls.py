from django.urls import path

from lvzhi.duties import expert_views, office_views, views

app_name = "duties"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("declare/", views.declare, name="declare"),
    path("expertise/", views.own_expertise, name="own_expertise"),
    path("declarations/<int:pk>/", views.declaration, name="declaration"),
    path("declarations/<int:pk>/act/<str:name>/", views.declaration_act,
         name="declaration_act"),
    path("corrections/new/", views.correction_new, name="correction_new"),
    path("corrections/<int:pk>/act/<str:name>/", views.correction_act, name="correction_act"),
    path("office/", office_views.office, name="office"),
    path("office/export.xlsx", office_views.office_export, name="office_export"),
    path("office/declarations/", office_views.office_declarations, name="office_declarations"),
    path("members/<int:pk>/", views.member_record, name="record"),
    path("members/<int:pk>/record.pdf", views.member_pdf, name="record_pdf"),
    path("members/<int:pk>/amend/", views.member_amend, name="amend"),
    path("office/recompute/", office_views.office_recompute, name="office_recompute"),
    path("rules/", office_views.rules, name="rules"),
    path("year/", office_views.year_view, name="year"),
    path("year/<int:pk>/act/<str:name>/", office_views.year_act, name="year_act"),
    path("districts/", office_views.districts, name="districts"),
    path("experts/", expert_views.expert_pool, name="experts"),
    path("experts/<int:pk>/", expert_views.expert_edit, name="expert_edit"),
]
