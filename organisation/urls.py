from django.urls import path

from organisation import views

urlpatterns = [
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("organisation/style.css", views.style, name="organisation_style"),
    path("organisation/logo.png", views.logo, name="organisation_logo"),
    path("organisation/icon-<int:size>.png", views.icon, name="organisation_icon"),
    path(
        "organisation/icon-<int:size>-maskable.png",
        views.icon,
        {"purpose": "maskable"},
        name="organisation_icon_maskable",
    ),
]
