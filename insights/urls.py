from django.urls import path

from insights.views import dashboard, nudges

urlpatterns = [
    path("", dashboard.dashboard, name="insights"),
    path("nudges/", nudges.nudge_list, name="nudge_list"),
    path("nudges/new/", nudges.nudge_new, name="nudge_new"),
    path("nudges/<int:pk>/", nudges.nudge_detail, name="nudge_detail"),
]
