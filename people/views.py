"""The profile page, editing one's own profile, and the people directory."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from communities import queries as core_queries
from communities.models import Person
from communities.views.feeds import feed_page, live_url, newer_posts
from limits.counting import check
from limits.decorators import limit
from limits.responses import refuse
from people import actions, queries
from people.forms import ProfileForm

DIRECTORY_PAGE_SIZE = 24


@vary_on_headers("HX-Request")
def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(Person, username=username, is_active=True)
    profile = queries.profile_of(person)
    context = {
        "person": person,
        "profile": profile,
        "expertise": list(profile.expertise.all()) if profile else [],
        "following": person.pk in core_queries.follows_of(request.user).people,
        "followers": core_queries.followers(person),
        "followed_people": core_queries.following(person),
        "followed_tags": core_queries.followed_tags(person),
    }
    if person == request.user:
        context["completeness"] = queries.completeness(person, profile)
    return feed_page(
        request,
        "people/person.html",
        core_queries.person_posts(request.user, person),
        context,
        live_url=live_url("live_person", person.username),
        newer_url=reverse("person_newer", args=[person.username]),
    )


@require_GET
def person_newer(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(Person, username=username, is_active=True)
    return newer_posts(request, core_queries.person_posts(request.user, person))


def profile_edit(request: HttpRequest) -> HttpResponse:
    person = request.user
    profile = queries.profile_of(person)
    limited = None
    if request.method == "POST":
        if request.FILES and (limited := check(request, "upload")):
            # What was typed stays; the photo is not even read.
            form = ProfileForm(request.POST)
            form.add_error(None, limited.message)
        else:
            form = ProfileForm(request.POST, request.FILES)
        if not limited and form.is_valid():
            data = form.cleaned_data
            try:
                actions.edit_profile(
                    person,
                    job_title=data["job_title"],
                    department=data["department"],
                    location=data["location"],
                    phone=data["phone"],
                    bio=data["bio"],
                    expertise=data["expertise"],
                    photo=data["photo"],
                    remove_photo=data["remove_photo"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect("person", person.username)
        person.refresh_from_db()
        status = 422
    else:
        form = ProfileForm(
            initial={
                "job_title": person.job_title,
                "department": person.department,
                "location": person.location,
                "phone": profile.phone if profile else "",
                "bio": profile.bio if profile else "",
                "expertise": ", ".join(e.name for e in profile.expertise.all()) if profile else "",
            }
        )
        status = 200
    response = render(
        request,
        "people/profile_edit.html",
        {"form": form, "person": person, "max_photo": settings.ATTACHMENT_MAX_BYTES},
        status=status,
    )
    return refuse(response, limited) if limited else response


@require_GET
@vary_on_headers("HX-Request")
@limit("search")
def directory(request: HttpRequest) -> HttpResponse:
    filters = queries.DirectoryFilters(
        text=request.GET.get("q", "").strip()[:100],
        department=request.GET.get("department", ""),
        location=request.GET.get("location", ""),
        expertise=request.GET.get("expertise", ""),
    )
    page = Paginator(queries.directory(filters), DIRECTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "people": list(page.object_list),
        "filters": filters,
        "choices": queries.directory_choices(),
        "chosen_expertise": queries.expertise_by_slug(filters.expertise),
        "query": query.urlencode(),
        "filtered": any(vars(filters).values()),
    }
    template = "people/fragments/results.html" if request.htmx else "people/directory.html"
    return render(request, template, context)
