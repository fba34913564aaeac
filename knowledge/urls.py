from django.urls import path

from knowledge import views

urlpatterns = [
    path("", views.page_list, name="page_list"),
    path("new/", views.page_create, name="page_create"),
    path("<int:pk>/", views.page_detail, name="page_detail"),
    path("<int:pk>/edit/", views.page_edit, name="page_edit"),
    path("<int:pk>/check/", views.page_check, name="page_check"),
    path("<int:pk>/history/", views.page_history, name="page_history"),
    path("<int:pk>/versions/<int:number>/restore/", views.page_restore, name="page_restore"),
]
