from django.urls import path

from people import views

urlpatterns = [
    path("people/", views.directory, name="directory"),
    path("people/<str:username>/", views.person_detail, name="person"),
    path("people/<str:username>/newer/", views.person_newer, name="person_newer"),
    path("settings/profile/", views.profile_edit, name="profile_edit"),
]
