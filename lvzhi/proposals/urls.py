from django.urls import path

from lvzhi.proposals import views

app_name = "proposals"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.edit, name="new"),
    path("similar/", views.similar_while_writing, name="similar"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/act/<str:name>/", views.act, name="act"),
    path("<int:pk>/contact/", views.proposer_contact, name="proposer_contact"),
    path("<int:pk>/form.pdf", views.proposal_pdf, name="pdf"),
    path("replies/<int:pk>/letter.pdf", views.reply_pdf, name="reply_pdf"),
    path("office/", views.office, name="office"),
    path("office/export.xlsx", views.office_export, name="export"),
    path("office/figures/", views.figures, name="figures"),
    path("unit/", views.unit, name="unit"),
    path("leader/", views.leader, name="leader"),
]
