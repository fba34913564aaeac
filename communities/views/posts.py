"""Posting into a feed and catching up on what a page missed."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from communities import actions, fragments, queries
from communities.forms import PostForm
from communities.views.groups import _int_param, readable_group_or_404


@require_POST
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a post. Over HTMX: a fresh form plus the post for the poster's own feed.

    On a validation error the form comes back with what was typed (422), so
    nothing the person wrote is lost.
    """
    group = readable_group_or_404(request, slug)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            post = actions.post_to_group(request.user, group, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
    if form.errors:
        template = (
            "communities/fragments/compose.html" if request.htmx else "communities/group.html"
        )
        context = {
            "group": group,
            "readable": True,
            "form": form,
            "membership": queries.membership(request.user, group),
        }
        if not request.htmx:
            context["posts"], context["has_more"] = queries.group_feed(request.user, group)
        return render(request, template, context, status=422)
    if not request.htmx:
        return redirect(group)
    response = render(
        request, "communities/fragments/compose.html", {"group": group, "form": PostForm()}
    )
    response.write(fragments.new_posts_message([post]))
    return response


@require_GET
def posts_newer(request: HttpRequest, slug: str) -> HttpResponse:
    """Everything newer than ``after``: fetched by a page each time its socket (re)connects."""
    group = readable_group_or_404(request, slug)
    after = _int_param(request, "after") or 0
    posts = queries.group_posts_after(request.user, group, after)
    if not posts:
        return HttpResponse(status=204)
    return HttpResponse(fragments.new_posts_message(posts))
