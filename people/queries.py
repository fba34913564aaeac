"""Reads of the people app: profiles, the directory and its filters."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from communities.models import Person
from people.models import Expertise, Profile


def profile_of(person: Person) -> Profile | None:
    return Profile.objects.filter(person=person).prefetch_related("expertise").first()


@dataclass(frozen=True)
class Completeness:
    percent: int
    missing: list[str]  # what to add, in words, in the order the form asks for it


def completeness(person: Person, profile: Profile | None) -> Completeness:
    """How much of a profile is filled in, and what is not: the hint on one's own page."""
    expertise = list(profile.expertise.all()) if profile is not None else []
    parts = [
        (bool(person.photo), _("a photo")),
        (bool(person.job_title), _("your job title")),
        (bool(person.department), _("your department")),
        (bool(person.location), _("your location")),
        (bool(profile and profile.phone), _("a phone number")),
        (bool(expertise), _("what colleagues may ask you about")),
        (bool(profile and profile.bio), _("a few words about yourself")),
    ]
    done = sum(1 for present, _label in parts if present)
    return Completeness(
        percent=round(100 * done / len(parts)),
        missing=[label for present, label in parts if not present],
    )


@dataclass(frozen=True)
class DirectoryFilters:
    text: str = ""
    department: str = ""
    location: str = ""
    expertise: str = ""  # an Expertise slug


def directory(filters: DirectoryFilters) -> QuerySet[Person]:
    """Active people matching the filters, by name, with what their cards show
    selected along (profile and expertise): two queries whatever their number."""
    people = (
        Person.objects.filter(is_active=True, is_integration=False)
        .select_related("profile")
        .prefetch_related("profile__expertise")
        .order_by("display_name", "username")
    )
    for word in filters.text.split()[:5]:
        people = people.filter(
            Q(display_name__icontains=word)
            | Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    if filters.department:
        people = people.filter(department=filters.department)
    if filters.location:
        people = people.filter(location=filters.location)
    if filters.expertise:
        people = people.filter(profile__expertise__slug=filters.expertise)
    return people


@dataclass(frozen=True)
class DirectoryChoices:
    departments: list[str]
    locations: list[str]
    expertise: list[Expertise]


def directory_choices() -> DirectoryChoices:
    """The values the directory's selects offer: those someone active has."""
    active = Person.objects.filter(is_active=True)

    def values(field: str) -> list[str]:
        return list(
            active.exclude(**{field: ""}).order_by(field).values_list(field, flat=True).distinct()
        )

    return DirectoryChoices(
        departments=values("department"),
        locations=values("location"),
        expertise=list(
            Expertise.objects.filter(
                pk__in=Profile.expertise.through.objects.filter(
                    profile__person__is_active=True
                ).values("expertise_id")
            )
        ),
    )


def expertise_by_slug(slug: str) -> Expertise | None:
    return Expertise.objects.filter(slug=slug).first() if slug else None
