"""The page form: title, text, where it stands, who looks after it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Group, Person
from knowledge import queries
from knowledge.actions import Steward
from knowledge.models import PAGE_MAX_LENGTH, Page

ORGANISATION = ""


def steward_choices(person: Person) -> list[tuple[Any, Any]]:
    people = [(f"person:{p.pk}", str(p)) for p in queries.active_people()]
    groups = [(f"group:{g.pk}", g.name) for g in Group.objects.readable_by(person)]
    return [("", _("Nobody")), (_("People"), people), (_("Groups"), groups)]


def steward_value(person: Person | None, group: Group | None) -> str:
    if person is not None:
        return f"person:{person.pk}"
    if group is not None:
        return f"group:{group.pk}"
    return ""


def parse_steward(value: str, viewer: Person) -> Steward | None:
    if not value:
        return Steward()
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit():
        return None
    if kind == "person":
        found = queries.active_people().filter(pk=int(pk)).first()
        return Steward(person=found) if found else None
    if kind == "group":
        group = Group.objects.readable_by(viewer).filter(pk=int(pk)).first()
        return Steward(group=group) if group else None
    return None


class PageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        max_length=PAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Markdown: **bold**, *italic*, lists, links; #tags make the page easy to find."
        ),
    )
    group = forms.ChoiceField(label=_("Where"), required=False)
    parent = forms.ChoiceField(label=_("Part of"), required=False)
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    deputy = forms.ChoiceField(label=_("Deputy"), required=False)
    review_months = forms.TypedChoiceField(
        label=_("Check the page"), choices=Page.Review.choices, coerce=int, initial=12
    )
    base = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, person: Person, page: Page | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.person = person
        self.page = page
        if page is None:
            self.fields["group"].choices = [(ORGANISATION, _("The whole organisation"))] + [
                (str(g.pk), g.name) for g in queries.groups_to_write_in(person)
            ]
        else:
            del self.fields["group"]
        parents = Page.objects.visible_to(person).order_by("title").only("pk", "title")
        if page is not None:
            parents = parents.exclude(pk=page.pk)
        self.fields["parent"].choices = [("", _("No page (at the top)"))] + [
            (str(p.pk), p.title) for p in parents
        ]
        stewards = steward_choices(person)
        self.fields["owner"].choices = stewards
        self.fields["deputy"].choices = stewards

    def clean_group(self) -> Group | None:
        value = self.cleaned_data.get("group")
        if not value:
            return None
        return queries.groups_to_write_in(self.person).filter(pk=int(value)).first()

    def clean_parent(self) -> Page | None:
        value = self.cleaned_data.get("parent")
        if not value:
            return None
        return Page.objects.visible_to(self.person).filter(pk=int(value)).first()

    def _steward(self, name: str) -> Steward | None:
        steward = parse_steward(self.cleaned_data.get(name) or "", self.person)
        if steward is None:
            raise forms.ValidationError(_("Choose a person or a group from the list."))
        return steward

    def clean_owner(self) -> Steward | None:
        return self._steward("owner")

    def clean_deputy(self) -> Steward | None:
        return self._steward("deputy")


def initial_for(page: Page) -> dict[str, Any]:
    return {
        "title": page.title,
        "body": page.body,
        "parent": str(page.parent_id or ""),
        "owner": steward_value(page.owner_person, page.owner_group),
        "deputy": steward_value(page.deputy_person, page.deputy_group),
        "review_months": page.review_months,
        "base": page.version,
    }


class FilterForm(forms.Form):
    tag = forms.CharField(label=_("Tag"), required=False, max_length=64)
    group = forms.ChoiceField(label=_("Group"), required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [
            ("", _("All pages")),
            ("organisation", _("Organisation-wide")),
        ] + [(str(g.pk), g.name) for g in queries.groups_with_pages(person)]
