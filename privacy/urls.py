from django.urls import path

from privacy import views

urlpatterns = [
    path("settings/data/", views.export_request, name="data_export_request"),
    path(
        "settings/data/<int:export_id>/download/",
        views.export_download,
        name="data_export_download",
    ),
]
