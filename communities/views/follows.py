"""Follow and unfollow buttons for people, #tags and groups, and "tell me of new posts"."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import actions
from communities.models import Person, Tag
from communities.views.groups import readable_group_or_404
from communities.views.tags import tag_name_or_404
from limits.decorators import limit


def _button(request: HttpRequest, url: str, template: str, context: dict) -> HttpResponse:
    """The button again, pressed or not (over htmx); without htmx, back to the page."""
    if not request.htmx:
        return redirect(url)
    return render(request, f"communities/fragments/{template}", context)


def _answer(request: HttpRequest, url: str, following: bool, label: str) -> HttpResponse:
    context = {"follow_url": request.path, "following": following, "label": label}
    return _button(request, url, "follow_button.html", context)


@require_POST
@limit("follow")
def follow_person(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(Person, username=username, is_active=True)
    following = request.POST.get("follow") == "1"
    if following:
        try:
            actions.follow_person(request.user, person)
        except ValidationError as refusal:
            return HttpResponseBadRequest(" ".join(refusal.messages))
    else:
        actions.unfollow(request.user, person=person)
    return _answer(request, person.get_absolute_url(), following, person.display_name)


@require_POST
@limit("follow")
def follow_tag(request: HttpRequest, name: str) -> HttpResponse:
    name = tag_name_or_404(name)
    following = request.POST.get("follow") == "1"
    if following:
        actions.follow_tag(request.user, name)
    else:
        actions.unfollow(request.user, tag=Tag.objects.filter(name=name).first())
    return _answer(request, reverse("tag", args=[name]), following, f"#{name}")


@require_POST
@limit("follow")
def follow_group(request: HttpRequest, slug: str) -> HttpResponse:
    group = readable_group_or_404(request, slug)
    following = request.POST.get("follow") == "1"
    if following:
        actions.follow_group(request.user, group)
    else:
        actions.unfollow(request.user, group=group)
    return _answer(request, group.get_absolute_url(), following, group.name)


@require_POST
def tell_of_group_posts(request: HttpRequest, slug: str) -> HttpResponse:
    group = readable_group_or_404(request, slug)
    on = request.POST.get("on") == "1"
    actions.tell_of_new_posts(request.user, group=group, on=on)
    return _alerts_answer(request, group.get_absolute_url(), on, group.name)


@require_POST
def tell_of_tag_posts(request: HttpRequest, name: str) -> HttpResponse:
    name = tag_name_or_404(name)
    on = request.POST.get("on") == "1"
    actions.tell_of_new_posts(request.user, tag_name=name, on=on)
    return _alerts_answer(request, reverse("tag", args=[name]), on, f"#{name}")


def _alerts_answer(request: HttpRequest, url: str, on: bool, label: str) -> HttpResponse:
    context = {"alerts_url": request.path, "alerts_on": on, "label": label}
    return _button(request, url, "alerts_button.html", context)
