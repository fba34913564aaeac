from django.urls import path

from insights.views import dashboard, groups

urlpatterns = [
    path("", dashboard.dashboard, name="insights"),
    path("threshold/", dashboard.threshold, name="insights_threshold"),
    path("export/<slug:name>.csv", dashboard.export, name="insights_export"),
    path("groups/<slug:slug>/", groups.group_figures, name="insights_group"),
    path("groups/<slug:slug>/figures.csv", groups.group_export, name="insights_group_export"),
]
