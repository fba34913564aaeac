from django.urls import path

from agenda import views

urlpatterns = [
    path("", views.event_list, name="event_list"),
    path("new/", views.event_create, name="event_create"),
    path("calendar/", views.calendar_link, name="calendar_link"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar_feed"),
    path("<int:pk>/", views.event_detail, name="event_detail"),
    path("<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("<int:pk>/answer/", views.event_answer, name="event_answer"),
    path("<int:pk>/status/", views.event_status, name="event_status"),
    path("<int:pk>/cancel/", views.event_cancel, name="event_cancel"),
    path("<int:pk>/attendees.csv", views.event_attendees_csv, name="event_attendees_csv"),
    path("<int:pk>/event.ics", views.event_ics, name="event_ics"),
]
