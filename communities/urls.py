from django.urls import path

from communities.views import groups, people, posts

urlpatterns = [
    path("", groups.home, name="home"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<slug:slug>/", groups.group_detail, name="group"),
    path("groups/<slug:slug>/join/", groups.group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", groups.group_leave, name="group_leave"),
    path("groups/<slug:slug>/posts/", posts.post_create, name="post_create"),
    path("groups/<slug:slug>/posts/newer/", posts.posts_newer, name="posts_newer"),
    path("people/<str:username>/", people.person_detail, name="person"),
]
