from django.urls import path

from search import views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("search/suggestions/", views.suggestions, name="search_suggestions"),
    path("search/open/<str:kind>/<int:object_id>/", views.open_hit, name="search_open"),
]
