"""The agenda's pages: the list, an event, its forms, answers, downloads and the
calendar feed. Every event is found through ``Event.objects.visible_to``: one
that a person may not see is a 404, exactly as one that does not exist."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agenda import actions, fragments, ics, queries
from agenda.forms import EventForm
from agenda.models import Attendance, Event
from communities.models import Group
from communities.views.feeds import live_url
from limits.decorators import limit

PER_PAGE = 20


def event_list(request: HttpRequest) -> HttpResponse:
    """Upcoming events one may see, by date; filtered on a group; paged."""
    groups = list(queries.filter_groups(request.user))
    chosen = None
    slug = request.GET.get("group", "")
    if slug:
        chosen = next((g for g in groups if g.slug == slug), None)
        if chosen is None:
            chosen = Group.objects.readable_by(request.user).filter(slug=slug).first()
        if chosen is None:
            raise Http404("no such group")
    page = Paginator(queries.upcoming_events(request.user, chosen), PER_PAGE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    answers = queries.answers_of(request.user, events)
    for event in events:
        event.my_answer = answers.get(event.pk)
    return render(
        request,
        "agenda/list.html",
        {
            "page": page,
            "events": events,
            "groups": groups,
            "chosen": chosen,
            "calendar_on": queries.has_calendar_feed(request.user),
            "calendar_url": request.session.pop("agenda_calendar_url", None),
        },
    )


def _event_or_404(request: HttpRequest, pk: int) -> Event:
    event = queries.visible_event(request.user, pk)
    if event is None:
        raise Http404("no such event")
    return event


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    manages = queries.may_manage(request.user, event)
    context = {
        "event": event,
        "manages": manages,
        "attendees": queries.attendees(event) if manages else None,
        "live_url": live_url("live_event", event.pk),
        **fragments.status_context(request.user, event),
    }
    return render(request, "agenda/detail.html", context)


def event_create(request: HttpRequest) -> HttpResponse:
    form = EventForm(request.POST or None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            event = actions.create_event(
                request.user, form.cleaned_data.get("group"), **form.event_fields()
            )
        except ValidationError as error:
            form.add_action_errors(error)
        except PermissionDenied as refusal:
            form.add_error("group", str(refusal))
        else:
            messages.success(request, _("Event “%(title)s” added.") % {"title": event.title})
            return redirect(event)
    return render(request, "agenda/form.html", {"form": form, "event": None})


def event_edit(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not queries.may_manage(request.user, event):
        raise PermissionDenied(_("Only the organiser can change this event."))
    form = EventForm(request.POST or None, person=request.user, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            actions.edit_event(request.user, event, **form.event_fields())
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("Event saved."))
            return redirect(event)
    return render(request, "agenda/form.html", {"form": form, "event": event})


@require_POST
def event_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Going or not going. Over htmx the answer and the places left come back as
    fragments; without it, back to the event's page."""
    event = _event_or_404(request, pk)
    error = ""
    try:
        if request.POST.get("answer") == "going":
            actions.sign_up(request.user, event)
        else:
            actions.decline(request.user, event)
    except ValidationError as refusal:
        error = " ".join(refusal.messages)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(event)
    fresh = queries.visible_event(request.user, pk)
    status = fragments.status_context(request.user, fresh)
    html = fragments.places_html(fresh, oob=True) + render_status(status, error)
    return HttpResponse(html)


def render_status(context: dict, error: str = "") -> str:
    return render_to_string(
        "agenda/fragments/status.html", {**context, "oob": True, "error": error}
    )


@require_POST
def event_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    actions.cancel_event(request.user, event)
    messages.success(request, _("The event is cancelled; everyone who signed up is told."))
    return redirect(event)


@require_GET
def event_attendees_csv(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    if not queries.may_manage(request.user, event):
        raise PermissionDenied(_("Only the organiser sees who comes."))
    found = queries.attendees(event)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Name"), _("Email"), _("Answer"), _("Place on the waiting list"), _("Since")]
    )
    rows: list[tuple[Attendance, str]] = [(a, "") for a in found.going]
    rows += [(a, str(n)) for n, a in enumerate(found.waiting, start=1)]
    rows += [(a, "") for a in found.not_going]
    for attendance, position in rows:
        writer.writerow(
            [
                safe_cell(str(attendance.person)),
                safe_cell(attendance.person.email),
                attendance.get_status_display(),
                position,
                timezone.localtime(attendance.queued_at).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_file_name(event)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def safe_cell(value: str) -> str:
    """A cell a spreadsheet will not run: text that starts like a formula
    (= + - @, or a tab or carriage return before one) gets a quote in front."""
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


def csv_file_name(event: Event) -> str:
    """ASCII letters, digits and dashes only: nothing that breaks the header or a path."""
    day = timezone.localtime(event.start).strftime("%Y-%m-%d")
    return f"{slugify(event.title)[:60] or 'event'}-{day}.csv"


@require_GET
def event_ics(request: HttpRequest, pk: int) -> HttpResponse:
    event = _event_or_404(request, pk)
    response = HttpResponse(ics.calendar([event]), content_type="text/calendar; charset=utf-8")
    name = slugify(event.title)[:60] or "event"
    response["Content-Disposition"] = f'attachment; filename="{name}.ics"'
    return response


@require_POST
def calendar_link(request: HttpRequest) -> HttpResponse:
    """Make a new secret calendar address (the old one stops working), or turn it off."""
    if request.POST.get("do") == "off":
        actions.turn_off_calendar_link(request.user)
        messages.success(request, _("Your calendar link is turned off."))
    else:
        token = actions.new_calendar_link(request.user)
        request.session["agenda_calendar_url"] = request.build_absolute_uri(
            reverse("calendar_feed", args=[token])
        )
        messages.success(request, _("Your new calendar link is ready; the old one stops working."))
    return redirect(reverse("event_list") + "#calendar")


@login_not_required
@require_GET
@limit("calendar_feed")
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's events (those they go to and may still see) for calendar apps:
    no session, only the secret address. Unknown or turned off: 404."""
    person = queries.feed_owner(token)
    if person is None:
        raise Http404("no such calendar")
    response = HttpResponse(
        ics.calendar(queries.calendar_events(person), name=_("My events")),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def event_status(request: HttpRequest, pk: int) -> HttpResponse:
    """One's own answer, fetched again (a page whose socket came back)."""
    event = _event_or_404(request, pk)
    status = fragments.status_context(request.user, event)
    return HttpResponse(fragments.places_html(event, oob=True) + render_status(status))
