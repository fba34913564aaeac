from django.urls import path

from insights.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="insights"),
]
