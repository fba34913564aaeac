"""Posting into a group's feed."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communities import actions, fragments, queries
from communities.forms import HomePostForm, PostForm
from communities.models import Post
from communities.views.groups import group_detail, readable_group_or_404
from communities.views.home import compose_context, home
from limits.counting import Limited, check
from limits.responses import refuse


def over_limit(request: HttpRequest) -> Limited | None:
    """Counts a post, and an upload when it has files; the limit it goes over, if any."""
    return check(request, "post") or (check(request, "upload") if request.FILES else None)


def _limited_or(response: HttpResponse, limited: Limited | None) -> HttpResponse:
    return refuse(response, limited) if limited else response


def publish(request: HttpRequest, form: PostForm, group) -> Post | None:
    """Post what a valid compose form holds into ``group``; what the action refuses
    becomes the form's error (and None)."""
    try:
        return actions.post_to_group(
            request.user,
            group,
            form.cleaned_data["body"],
            files=form.cleaned_data["files"],
            kind=form.cleaned_data["kind"] or Post.Kind.UPDATE,
            title=form.cleaned_data["title"],
            idempotency_key=form.cleaned_data["idempotency_key"],
        )
    except ValidationError as error:
        form.add_error(None if hasattr(error, "error_dict") else "body", error)
        return None


@require_POST
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a post. Over htmx: a fresh form plus the post for the poster's own feed.

    On a validation error the form comes back with what was typed (422), so
    nothing the person wrote is lost.
    """
    group = readable_group_or_404(request, slug)
    if limited := over_limit(request):
        # The form again with what was typed (its files are not even read).
        form = PostForm(request.POST)
        form.add_error(None, limited.message)
    else:
        form = PostForm(request.POST, request.FILES)
    post = publish(request, form, group) if not limited and form.is_valid() else None
    if form.errors:
        if request.htmx:
            response = render(
                request,
                "communities/fragments/compose.html",
                {"group": group, "form": form},
                status=422,
            )
            return _limited_or(response, limited)
        # Without htmx: the whole page again, its form holding what was typed.
        request.invalid_post_form = form
        response = group_detail(request, slug)
        response.status_code = 422
        return _limited_or(response, limited)
    if not request.htmx:
        return redirect(group)
    response = render(
        request, "communities/fragments/compose.html", {"group": group, "form": PostForm()}
    )
    response.write(fragments.published_post_message(post))
    return response


@require_POST
def post_create_home(request: HttpRequest) -> HttpResponse:
    """Publish a post from the home page into a group one chooses (one the person may
    post in). Errors come back as on a group's page: the form, holding what was typed."""
    groups = queries.postable_groups(request.user)
    if limited := over_limit(request):
        form = HomePostForm(request.POST, groups=groups)
        form.add_error(None, limited.message)
    else:
        form = HomePostForm(request.POST, request.FILES, groups=groups)
    post = None
    if not limited and form.is_valid():
        try:
            post = publish(request, form, form.cleaned_data["group"])
        except PermissionDenied as refusal:
            form.add_error("kind" if form.cleaned_data["kind"] else "group", str(refusal))
    if form.errors:
        if request.htmx:
            response = render(
                request,
                "communities/fragments/compose.html",
                compose_context(request.user, form),
                status=422,
            )
            return _limited_or(response, limited)
        request.invalid_post_form = form
        response = home(request)
        response.status_code = 422
        return _limited_or(response, limited)
    if not request.htmx:
        return redirect("home")
    fresh = HomePostForm(
        groups=queries.postable_groups(request.user), initial={"group": post.group_id}
    )
    response = render(
        request, "communities/fragments/compose.html", compose_context(request.user, fresh)
    )
    response.write(fragments.published_post_message(post))
    return response
