from django.urls import path

from incidents import views

urlpatterns = [
    path("widget/", views.widget, name="incident_widget"),
    path("hook/", views.hook, name="incident_hook"),
    path("<int:pk>/", views.detail, name="incident_detail"),
    path("<int:pk>/follow/", views.follow, name="incident_follow"),
]
