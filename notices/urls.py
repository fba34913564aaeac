from django.urls import path

from notices import views

urlpatterns = [
    path("", views.notice_list, name="notices"),
    path("menu/", views.notice_menu, name="notice_menu"),
    path("count/", views.notice_count, name="notice_count"),
    path("read/", views.notice_read_all, name="notice_read_all"),
    path("settings/", views.notice_settings, name="notice_settings"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("<int:notice_id>/", views.notice_open, name="notice_open"),
    path("<int:notice_id>/read/", views.notice_read, name="notice_read"),
]
