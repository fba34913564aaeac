"""The home timeline: the start page after logging in."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from communities import actions, queries
from communities.forms import HomePostForm
from communities.models import Group, Person
from communities.views.feeds import feed_page, live_url, newer_posts


def compose_context(person: Person, form: HomePostForm | None = None) -> dict:
    """The home page's compose box: the groups one may post in (and announce in)."""
    groups = list(queries.postable_groups(person))
    if not groups:
        return {}
    return {
        "form": form or HomePostForm(groups=queries.postable_groups(person)),
        "postable_groups": groups,
        "announce_group_ids": set(queries.managed_group_ids(person)),
    }


@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    """What the person follows, newest first, under organisation news's pinned
    announcement. New posts wait behind a "N new posts" bar, so the reading
    position never jumps."""
    pinned_places = queries.pinned_for(request.user, Group.objects.news())
    compose = compose_context(request.user, getattr(request, "invalid_post_form", None))
    actions.record_reads(request.user, [post for place in pinned_places for post in place.posts])
    return feed_page(
        request,
        "communities/home.html",
        queries.home_posts(request.user),
        {
            "my_groups": queries.groups_of(request.user),
            "join_requests": queries.requests_to_tell(request.user),
            "pinned_places": pinned_places,
            **compose,
        },
        live_url=live_url("live_home"),
        newer_url=reverse("home_newer"),
        hold_new=True,
        pinned=[post.pk for place in pinned_places for post in place.posts],
    )


@require_GET
def home_newer(request: HttpRequest) -> HttpResponse:
    pinned = queries.pinned_news_ids(request.user)
    return newer_posts(request, queries.home_posts(request.user), pinned)
