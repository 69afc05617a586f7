from django.urls import path

from lvzhi.ledgers import views

app_name = "ledgers"
urlpatterns = [
    path("", views.board, name="board"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/act/<str:name>/", views.task_act, name="task_act"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.export, name="export"),
]
