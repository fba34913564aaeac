from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from communities.models import Group, Person
from search import registry
from search.queries import Filters, Order
from search.text import MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search for"),
        max_length=MAX_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    kind = forms.ChoiceField(label=_("Show"), required=False)
    group = forms.ModelChoiceField(
        label=_("In group"),
        queryset=Group.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Every group"),
    )
    person = forms.CharField(
        label=_("By"),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("Name or username")}),
    )
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    order = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[(Order.RELEVANCE, _("Best match")), (Order.NEWEST, _("Newest first"))],
    )

    def __init__(self, viewer: Person, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (s.name, s.label) for s in registry.sections()
        ]
        # Only groups whose feed this person reads: a filter names no group they may not see.
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ModelChoiceField)
        group_field.queryset = Group.objects.readable_by(viewer).order_by("name")

    def clean_person(self) -> Person | None:
        typed = self.cleaned_data["person"].strip().lstrip("@")
        if not typed:
            return None
        found = Person.objects.filter(
            Q(username=typed) | Q(display_name__iexact=typed), is_active=True, erased_at=None
        ).first()
        if found is None:
            raise forms.ValidationError(_("Nobody of that name or username."))
        return found

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end comes before the start."))
        return cleaned

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            section=data.get("kind") or "",
            group=data.get("group"),
            person=data.get("person"),
            since=data.get("since"),
            until=data.get("until"),
            order=data.get("order") or Order.RELEVANCE,
        )

    @property
    def filtered(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return any(data.get(name) for name in ("kind", "group", "person", "since", "until"))
