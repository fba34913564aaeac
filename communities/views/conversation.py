"""Replies, reactions and deleting: small htmx requests on a post, wherever it is shown."""

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from communities import actions, fragments, queries
from communities.forms import TOO_LONG
from communities.models import Post, Reply
from communities.signals import Change
from limits.counting import check
from limits.decorators import limit
from limits.responses import refuse, too_many


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=settings.POST_MAX_LENGTH,
        error_messages={"required": _("Write something before replying."), "max_length": TOO_LONG},
    )


def visible_post_or_404(request: HttpRequest, post_id: int) -> Post:
    try:
        return queries.visible_post(request.user, post_id)
    except Post.DoesNotExist:
        raise Http404("no such post") from None


def _back(request: HttpRequest, post: Post) -> HttpResponse:
    return redirect(request.headers.get("Referer") or post.group.get_absolute_url())


@require_POST
def reply_create(request: HttpRequest, post_id: int) -> HttpResponse:
    post = visible_post_or_404(request, post_id)
    form = ReplyForm(request.POST)
    if limited := check(request, "reply"):
        if not request.htmx:
            return too_many(request, limited)
        form.add_error("body", limited.message)
    elif form.is_valid():
        try:
            reply = actions.reply_to_post(request.user, post, form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error("body", error)
    if form.errors:
        response = render(
            request,
            "communities/fragments/reply_form.html",
            {"post": post, "reply_form": form},
            status=422,
        )
        return refuse(response, limited) if limited else response
    if not request.htmx:
        return _back(request, post)
    response = render(request, "communities/fragments/reply_form.html", {"post": post})
    response.write(fragments.post_changed_message(post, Change.REPLY_ADDED, reply))
    return response


@require_GET
def replies(request: HttpRequest, post_id: int) -> HttpResponse:
    try:
        post, all_replies = queries.post_replies(request.user, post_id)
    except Post.DoesNotExist:
        raise Http404("no such post") from None
    return render(
        request, "communities/fragments/reply_list.html", {"post": post, "replies": all_replies}
    )


@require_POST
def reply_delete(request: HttpRequest, reply_id: int) -> HttpResponse:
    reply = get_object_or_404(Reply, pk=reply_id, deleted_at=None)
    post = visible_post_or_404(request, reply.post_id)
    actions.delete_reply(request.user, reply)
    if not request.htmx:
        return _back(request, post)
    return HttpResponse(fragments.post_changed_message(post, Change.REPLY_REMOVED, reply))


@require_POST
@limit("react")
def react(request: HttpRequest, post_id: int) -> HttpResponse:
    post = visible_post_or_404(request, post_id)
    try:
        actions.toggle_reaction(request.user, post, request.POST.get("kind", ""))
    except ValidationError as refusal:
        return HttpResponse(" ".join(refusal.messages), status=400)
    if not request.htmx:
        return _back(request, post)
    return HttpResponse(fragments.post_changed_message(post, Change.REACTIONS_CHANGED))


@require_POST
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    post = visible_post_or_404(request, post_id)
    actions.delete_post(request.user, post, reason=request.POST.get("reason", ""))
    if not request.htmx:
        return redirect(post.group)
    return HttpResponse(fragments.post_changed_message(post, Change.POST_REMOVED))


def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    """The author's edit form in place of the post's text, and saving it."""
    post = visible_post_or_404(request, post_id)
    if request.method != "POST":
        if post.author_id != request.user.pk:
            raise PermissionDenied
        return render(
            request, "communities/fragments/post_edit_form.html", {"post": post, "body": post.body}
        )
    body = request.POST.get("body", "")
    try:
        post = actions.edit_post(request.user, post, body)
    except ValidationError as refusal:
        return render(
            request,
            "communities/fragments/post_edit_form.html",
            {"post": post, "body": body, "errors": refusal.messages},
            status=422,
        )
    if not request.htmx:
        return redirect(post.group)
    return _content(request, post_id)


@require_GET
def post_content(request: HttpRequest, post_id: int) -> HttpResponse:
    """The post's text again (what "Cancel" on the edit form shows)."""
    return _content(request, post_id)


def _content(request: HttpRequest, post_id: int) -> HttpResponse:
    post = queries.with_activity([visible_post_or_404(request, post_id)])[0]
    return render(request, "communities/fragments/post_content.html", {"post": post})


@require_GET
def post_history(request: HttpRequest, post_id: int) -> HttpResponse:
    """Earlier versions of an edited post, for the managers of its group."""
    post = visible_post_or_404(request, post_id)
    if not queries.manages(request.user, post.group):
        raise PermissionDenied
    return render(
        request,
        "communities/post_history.html",
        {"post": post, "revisions": post.revisions.all()},
    )


def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    """A post on a page of its own: an article in full, with how many read it
    for its author and community coaches."""
    post = queries.with_activity([visible_post_or_404(request, post_id)])[0]
    actions.record_reads(request.user, [post])
    reach = queries.read_count(post) if queries.sees_reach(request.user, post) else None
    return render(request, "communities/post_detail.html", {"post": post, "reach": reach})


@require_POST
def post_pin(request: HttpRequest, post_id: int) -> HttpResponse:
    """Pin an announcement (optionally until a date) or unpin it; managers only."""
    post = visible_post_or_404(request, post_id)
    if request.POST.get("pin") == "1":
        until = parse_date(request.POST.get("until") or "")
        moment = (
            timezone.make_aware(datetime.combine(until, time.max)) if until is not None else None
        )
        actions.pin_announcement(request.user, post, until=moment)
    else:
        actions.unpin_announcement(request.user, post)
    if not request.htmx:
        return redirect(post.group)
    # The group's pinned place for the manager's own page, as every open page gets it.
    return HttpResponse(fragments.post_changed_message(post, Change.PIN_CHANGED))
