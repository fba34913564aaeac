from django.urls import path

from insights.views import dashboard, groups, nudges

urlpatterns = [
    path("", dashboard.dashboard, name="insights"),
    path("threshold/", dashboard.threshold, name="insights_threshold"),
    path("export/<slug:name>.csv", dashboard.export, name="insights_export"),
    path("groups/<slug:slug>/", groups.group_figures, name="insights_group"),
    path("groups/<slug:slug>/figures.csv", groups.group_export, name="insights_group_export"),
    path("nudges/", nudges.nudge_list, name="nudge_list"),
    path("nudges/new/", nudges.nudge_new, name="nudge_new"),
    path("nudges/<int:pk>/", nudges.nudge_detail, name="nudge_detail"),
]
