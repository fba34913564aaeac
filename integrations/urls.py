from django.urls import path

from integrations import views

urlpatterns = [
    path("hooks/in/<str:token>/", views.incoming, name="hook_incoming"),
]
