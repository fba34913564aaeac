"""The event form: dates and times entered in the organisation's time zone."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agenda import queries
from agenda.models import DESCRIPTION_MAX, Event
from communities.models import Group, Person

#: Where an action's complaint about a model field shows on the form.
FIELD_OF = {"start": "start_time", "end": "end_time"}


class EventForm(forms.Form):
    group = forms.ModelChoiceField(
        label=_("Where"),
        queryset=Group.objects.none(),
        required=False,
        empty_label=_("The whole organisation"),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    all_day = forms.BooleanField(label=_("All day"), required=False)
    start_date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        help_text=_("Leave empty for the same day."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end_time = forms.TimeField(
        label=_("End time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("An address starting with https:// or http://"),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Markdown: **bold**, *italic*, lists and links."),
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        max_value=100_000,
        help_text=_("Leave empty for no limit. When it is full, people join a waiting list."),
    )
    signup_deadline = forms.DateTimeField(
        label=_("Sign up before"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(
        self, *args: Any, person: Person, event: Event | None = None, **kwargs: Any
    ) -> None:
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(event)
        super().__init__(*args, **kwargs)
        self.event = event
        if event is None:
            self.fields["group"].queryset = queries.groups_to_organise_in(person)
        else:
            # An event stays where it was made.
            del self.fields["group"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        first = data.get("start_date")
        if first is None:
            return data
        last = data.get("end_date") or first
        if data.get("all_day"):
            if last < first:
                self.add_error("end_date", _("The last day cannot be before the first."))
                return data
            data["start"], data["end"] = None, None
        else:
            if data.get("start_time") is None:
                if "start_time" not in self.errors:
                    self.add_error("start_time", _("Give the time it starts, or tick all day."))
                return data
            if data.get("end_time") is None:
                if "end_time" not in self.errors:
                    self.add_error("end_time", _("Give the time it ends."))
                return data
            data["start"] = _aware(datetime.combine(first, data["start_time"]))
            data["end"] = _aware(datetime.combine(last, data["end_time"]))
            if data["end"] <= data["start"]:
                self.add_error("end_time", _("The end must be after the start."))
                return data
        deadline = data.get("signup_deadline")
        if deadline is not None:
            start = data.get("start") or _aware(datetime.combine(first, datetime.min.time()))
            if deadline > start:
                self.add_error("signup_deadline", _("Sign-up must close before the start."))
        return data

    def event_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "all_day": data["all_day"],
            "start": data.get("start"),
            "end": data.get("end"),
            "start_date": data["start_date"] if data["all_day"] else None,
            "end_date": (data.get("end_date") or data["start_date"]) if data["all_day"] else None,
            "place": data["place"],
            "online_url": data["online_url"],
            "description": data["description"],
            "capacity": data["capacity"],
            "signup_deadline": data["signup_deadline"],
        }

    def add_action_errors(self, error: Any) -> None:
        """An action's ValidationError, on the fields it names (or the whole form)."""
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                field = FIELD_OF.get(name, name)
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error)


def _aware(moment: datetime) -> datetime:
    return timezone.make_aware(moment, timezone.get_default_timezone())


def initial_of(event: Event) -> dict[str, Any]:
    start = timezone.localtime(event.start)
    end = timezone.localtime(event.end)
    initial = {
        "title": event.title,
        "all_day": event.all_day,
        "place": event.place,
        "online_url": event.online_url,
        "description": event.description,
        "capacity": event.capacity,
        "signup_deadline": timezone.localtime(event.signup_deadline)
        if event.signup_deadline
        else None,
    }
    if event.all_day:
        initial.update(start_date=event.start_date, end_date=event.end_date)
    else:
        initial.update(
            start_date=start.date(),
            start_time=start.time().replace(second=0, microsecond=0),
            end_date=end.date() if end.date() != start.date() else None,
            end_time=end.time().replace(second=0, microsecond=0),
        )
    return initial
