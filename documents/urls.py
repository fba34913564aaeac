from django.urls import path

from documents import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("new/", views.document_upload, name="document_upload"),
    path("<int:document_id>/", views.document_detail, name="document"),
    path("<int:document_id>/edit/", views.document_edit, name="document_edit"),
    path("<int:document_id>/replace/", views.document_replace, name="document_replace"),
    path("<int:document_id>/delete/", views.document_delete, name="document_delete"),
    path(
        "<int:document_id>/versions/<int:number>/<str:name>",
        views.document_download,
        name="document_download",
    ),
]
