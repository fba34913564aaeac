"""Posting into a group's feed."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from communities import actions, fragments
from communities.forms import PostForm
from communities.models import Post
from communities.views.groups import group_detail, readable_group_or_404


@require_POST
def post_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Publish a post. Over htmx: a fresh form plus the post for the poster's own feed.

    On a validation error the form comes back with what was typed (422), so
    nothing the person wrote is lost.
    """
    group = readable_group_or_404(request, slug)
    form = PostForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            post = actions.post_to_group(
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
    if form.errors:
        if request.htmx:
            return render(
                request,
                "communities/fragments/compose.html",
                {"group": group, "form": form},
                status=422,
            )
        # Without htmx: the whole page again, its form holding what was typed.
        request.invalid_post_form = form
        response = group_detail(request, slug)
        response.status_code = 422
        return response
    if not request.htmx:
        return redirect(group)
    response = render(
        request, "communities/fragments/compose.html", {"group": group, "form": PostForm()}
    )
    response.write(fragments.published_post_message(post))
    return response
