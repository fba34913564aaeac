from django.urls import path

from agenda import views

urlpatterns = [
    path("", views.event_list, name="event_list"),
]
