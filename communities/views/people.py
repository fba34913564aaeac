"""Profiles, following, and finding people to @mention."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from communities import queries
from communities.models import Person
from communities.views.feeds import feed_page, live_url, newer_posts


@vary_on_headers("HX-Request")
def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(Person, username=username, is_active=True)
    return feed_page(
        request,
        "communities/person.html",
        queries.person_posts(request.user, person),
        {
            "person": person,
            "following": person.pk in queries.follows_of(request.user).people,
            "followers": queries.followers(person),
            "followed_people": queries.following(person),
            "followed_tags": queries.followed_tags(person),
        },
        live_url=live_url("live_person", person.username),
        newer_url=reverse("person_newer", args=[person.username]),
    )


@require_GET
def person_newer(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(Person, username=username, is_active=True)
    return newer_posts(request, queries.person_posts(request.user, person))


@require_GET
def suggest_people(request: HttpRequest) -> HttpResponse:
    """Suggestions while typing an @mention; the compose box shows them as a listbox."""
    return render(
        request,
        "communities/fragments/mention_suggestions.html",
        {"people": queries.suggest_people(request.GET.get("q", ""))},
    )
