from django.urls import path

from communities.views import attachments, conversation, follows, groups, home, people, posts, tags

urlpatterns = [
    path("", home.home, name="home"),
    path("home/newer/", home.home_newer, name="home_newer"),
    path("groups/", groups.group_list, name="group_list"),
    path("groups/new/", groups.group_create, name="group_create"),
    path("groups/<slug:slug>/", groups.group_detail, name="group"),
    path("groups/<slug:slug>/newer/", groups.group_newer, name="group_newer"),
    path("groups/<slug:slug>/join/", groups.group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", groups.group_leave, name="group_leave"),
    path("groups/<slug:slug>/follow/", follows.follow_group, name="group_follow"),
    path("groups/<slug:slug>/members/", groups.group_members, name="group_members"),
    path("groups/<slug:slug>/members/manage/", groups.group_manage, name="group_manage"),
    path("groups/<slug:slug>/posts/", posts.post_create, name="post_create"),
    path("posts/<int:post_id>/replies/", conversation.replies, name="replies"),
    path("posts/<int:post_id>/reply/", conversation.reply_create, name="reply_create"),
    path("posts/<int:post_id>/react/", conversation.react, name="react"),
    path("posts/<int:post_id>/delete/", conversation.post_delete, name="post_delete"),
    path("posts/<int:post_id>/edit/", conversation.post_edit, name="post_edit"),
    path("posts/<int:post_id>/content/", conversation.post_content, name="post_content"),
    path("posts/<int:post_id>/history/", conversation.post_history, name="post_history"),
    path("replies/<int:reply_id>/delete/", conversation.reply_delete, name="reply_delete"),
    path(
        "files/<int:attachment_id>/thumbnail/",
        attachments.attachment_thumbnail,
        name="attachment_thumbnail",
    ),
    path("files/<int:attachment_id>/<str:name>", attachments.attachment, name="attachment"),
    path("tags/<str:name>/", tags.tag_detail, name="tag"),
    path("tags/<str:name>/newer/", tags.tag_newer, name="tag_newer"),
    path("tags/<str:name>/follow/", follows.follow_tag, name="tag_follow"),
    path("people/suggest/", people.suggest_people, name="suggest_people"),
    path("people/<str:username>/", people.person_detail, name="person"),
    path("people/<str:username>/newer/", people.person_newer, name="person_newer"),
    path("people/<str:username>/follow/", follows.follow_person, name="person_follow"),
]
