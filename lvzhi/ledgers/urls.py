from django.urls import path

from lvzhi.ledgers import appraisal_views, views

app_name = "ledgers"
urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("tasks/<int:pk>/act/<str:name>/", views.task_act, name="task_act"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.export, name="export"),
    path("progress/", views.progress_view, name="progress"),
    path("departments/", views.departments, name="departments"),
    path("departments.xlsx", views.departments_xlsx, name="departments_xlsx"),
    path("departments.pdf", views.departments_pdf, name="departments_pdf"),
    path("progress.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("progress.pdf", views.progress_pdf, name="progress_pdf"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.matrix, name="matrix"),
    path("assignments/<int:pk>/export.xlsx", views.matrix_export, name="matrix_export"),
    path("appraisals/", appraisal_views.appraisals, name="appraisals"),
    path("appraisals/<int:pk>/", appraisal_views.appraisal, name="appraisal"),
    path("appraisals/<int:pk>/act/<str:name>/", appraisal_views.appraisal_act,
         name="appraisal_act"),
    path("appraisals/sheets/<int:pk>/", appraisal_views.score, name="score"),
    path("appraisals/sheets/<int:pk>/act/<str:name>/", appraisal_views.score_act,
         name="score_act"),
    path("appraisals/sheets/<int:pk>/letter.pdf", appraisal_views.letter, name="letter"),
]
