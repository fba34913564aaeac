"""Group pages: the list, creating one, joining and leaving, and the feed."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from communities import actions, queries
from communities.forms import GroupForm, PostForm
from communities.models import Group


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "communities/home.html",
        {
            "my_groups": queries.groups_of(request.user),
            "other_groups": queries.other_visible_groups(request.user),
        },
    )


def group_create(request: HttpRequest) -> HttpResponse:
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        group = actions.create_group(request.user, **form.cleaned_data)
        messages.success(request, _("Group “%(name)s” created.") % {"name": group.name})
        return redirect(group)
    return render(request, "communities/group_form.html", {"form": form})


def readable_group_or_404(request: HttpRequest, slug: str) -> Group:
    """The group if the viewer may read its feed; otherwise 404, never a hint it exists."""
    return get_object_or_404(Group.objects.readable_by(request.user), slug=slug)


@vary_on_headers("HX-Request")
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's page. A closed group shows outsiders who it is for, never its feed."""
    group = get_object_or_404(Group.objects.visible_to(request.user), slug=slug)
    before = _int_param(request, "before")
    if not queries.can_read(request.user, group):
        if before is not None:
            raise Http404("not a reader of this feed")
        return render(request, "communities/group.html", {"group": group, "readable": False})
    posts, has_more = queries.group_feed(request.user, group, before=before)
    context = {
        "group": group,
        "readable": True,
        "posts": posts,
        "has_more": has_more,
        "before": before,
    }
    if request.htmx and before is not None:
        return render(request, "communities/fragments/feed_page.html", context)
    context["membership"] = queries.membership(request.user, group)
    context["form"] = PostForm()
    return render(request, "communities/group.html", context)


@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = readable_group_or_404(request, slug)
    actions.join_group(request.user, group)
    messages.success(request, _("You joined %(name)s.") % {"name": group.name})
    return redirect(group)


@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = readable_group_or_404(request, slug)
    actions.leave_group(request.user, group)
    messages.success(request, _("You left %(name)s.") % {"name": group.name})
    return redirect("home")


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise Http404(f"{name} must be a number") from None
