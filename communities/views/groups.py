"""Group pages: the list, creating one, membership, and the feed."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from communities import actions, queries
from communities.forms import AddMemberForm, GroupForm, PostForm
from communities.models import Group, JoinRequest, Membership, Person
from communities.views.feeds import feed_page, int_param, live_url, newer_posts
from limits.decorators import limit


def group_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "communities/group_list.html",
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


def visible_group_or_404(request: HttpRequest, slug: str) -> Group:
    """The group if the viewer may know it exists; a secret group is a 404 to outsiders."""
    return get_object_or_404(Group.objects.visible_to(request.user), slug=slug)


def readable_group_or_404(request: HttpRequest, slug: str) -> Group:
    """The group if the viewer may read its feed; otherwise 404, never a hint it exists."""
    return get_object_or_404(Group.objects.readable_by(request.user), slug=slug)


@vary_on_headers("HX-Request")
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The group's page. A closed group shows outsiders who it is for, never its feed."""
    group = visible_group_or_404(request, slug)
    membership = queries.membership(request.user, group)
    context = {
        "group": group,
        "membership": membership,
        "following": group.pk in queries.follows_of(request.user).groups,
        "alerts_on": queries.tells_of_new_posts(request.user, group=group),
    }
    if not queries.can_read(request.user, group):
        if int_param(request, "before") is not None:
            raise Http404("not a reader of this feed")
        context["join_request"] = queries.latest_request(request.user, group)
        return render(request, "communities/group.html", {**context, "readable": False})
    if membership and (not group.is_news or membership.manages):
        context["form"] = getattr(request, "invalid_post_form", None) or PostForm()
    context["pinned_places"] = [queries.pinned_place(group.pk)]
    actions.record_reads(request.user, context["pinned_places"][0].posts)
    return feed_page(
        request,
        "communities/group.html",
        queries.group_posts(request.user, group),
        {**context, "readable": True},
        live_url=live_url("live_group", group.slug),
        newer_url=reverse("group_newer", args=[group.slug]),
        pinned=[post.pk for post in context["pinned_places"][0].posts],
    )


@require_GET
def group_newer(request: HttpRequest, slug: str) -> HttpResponse:
    group = readable_group_or_404(request, slug)
    pinned = queries.pinned_ids([group.pk])
    return newer_posts(request, queries.group_posts(request.user, group), pinned)


@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    group = visible_group_or_404(request, slug)
    if group.privacy == Group.Privacy.CLOSED:
        actions.request_to_join(request.user, group)
        messages.success(request, _("Your request to join has been sent to the managers."))
    else:
        actions.join_group(request.user, group)
        messages.success(request, _("You joined %(name)s.") % {"name": group.name})
    return redirect(group)


@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    group = visible_group_or_404(request, slug)
    try:
        actions.leave_group(request.user, group)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect(group)
    messages.success(request, _("You left %(name)s.") % {"name": group.name})
    return redirect("group_list")


def group_members(request: HttpRequest, slug: str) -> HttpResponse:
    group = readable_group_or_404(request, slug)
    return _members_page(request, group, AddMemberForm(group=group))


def _members_page(
    request: HttpRequest, group: Group, add_form: AddMemberForm, status: int = 200
) -> HttpResponse:
    membership = queries.membership(request.user, group)
    manages = bool(membership and membership.manages)
    return render(
        request,
        "communities/group_members.html",
        {
            "group": group,
            "membership": membership,
            "members": queries.members(group),
            "requests": queries.pending_requests(group) if manages else [],
            "manages": manages,
            "roles": Membership.Role.choices,
            "add_form": add_form,
        },
        status=status,
    )


@require_GET
@limit("search")
def people_to_add(request: HttpRequest, slug: str) -> HttpResponse:
    """The autocomplete of "Add someone": people not yet in the group, for its managers."""
    group = readable_group_or_404(request, slug)
    if not queries.manages(request.user, group):
        raise Http404("not a manager of this group")
    return render(
        request,
        "communities/fragments/person_options.html",
        {"people": queries.people_to_add(group, request.GET.get("q", ""))},
    )


@require_POST
def group_manage(request: HttpRequest, slug: str) -> HttpResponse:
    """A manager's change to the member list: add, remove, change a role, answer a request."""
    group = readable_group_or_404(request, slug)
    post = request.POST
    try:
        if post.get("request"):
            join_request = get_object_or_404(JoinRequest, pk=post["request"], group=group)
            actions.decide_join_request(
                request.user, join_request, approve=post.get("decision") == "approve"
            )
        elif post.get("action") == "add":
            form = AddMemberForm(post, group=group)
            if not form.is_valid():
                # The page again, with what was typed and why it named no one.
                return _members_page(request, group, form, status=422)
            actions.add_member(request.user, group, form.cleaned_data["member"])
        else:
            person = Person.objects.filter(username=post.get("username", "").strip()).first()
            if person is None:
                raise ValidationError(_("No one has that username."))
            if post.get("action") == "remove":
                actions.remove_member(request.user, group, person)
            elif post.get("action") == "role":
                actions.change_role(request.user, group, person, post.get("role", ""))
    except (PermissionDenied, ValidationError) as refusal:
        messages.error(request, " ".join(getattr(refusal, "messages", [str(refusal)])))
    else:
        messages.success(request, _("Saved."))
    return redirect("group_members", slug=group.slug)
