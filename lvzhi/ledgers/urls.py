from django.urls import path

from lvzhi.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("", views.board, name="board"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/act/<str:name>/", views.task_act, name="task_act"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.export, name="export"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.matrix, name="matrix"),
    path("assignments/<int:pk>/export.xlsx", views.matrix_export, name="matrix_export"),
]
