"""People can be found: by name, job title, department, location, what they
know about ("ask me about") and their bio. Registered with ``search`` from
``PeopleConfig.ready``; nothing here is secret, but a deactivated or erased
person is not found at all."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver
from django.utils.translation import pgettext

from communities import signals
from communities.models import Person
from people.models import Profile
from search import indexing, registry
from search.models import Audience
from search.registry import Document, Kind


def person_document(person: Person) -> Document | None:
    if not person.is_active or person.is_erased:
        return None
    profile = getattr(person, "profile", None)
    expertise = [e.name for e in profile.expertise.all()] if profile else []
    return Document(
        title=str(person),
        body=" · ".join(
            part
            for part in (
                person.job_title,
                person.department,
                person.location,
                ", ".join(expertise),
                profile.bio if profile else "",
            )
            if part
        ),
        created_at=person.date_joined,
        audience=Audience.EVERYONE,
        person_id=person.pk,
    )


def findable_people(person: Any) -> Any:
    return Person.objects.filter(is_active=True, erased_at=None, is_integration=False)


def register() -> None:
    registry.register_kind(
        Kind(
            name="person",
            section="people",
            model=Person,
            document=person_document,
            visible_to=findable_people,
            everything=lambda: Person.objects.select_related("profile").prefetch_related(
                "profile__expertise"
            ),
            template="search/fragments/hit_person.html",
            url=lambda person: person.get_absolute_url(),
            described=lambda person: (
                person.job_title or pgettext("a kind of search result", "Person")
            ),
            suggested=True,
            fields=frozenset(
                {"username", "display_name", "first_name", "last_name", "job_title"}
                | {"department", "location", "is_active", "erased_at", "date_joined"}
            ),
        )
    )
    registry.watch(Profile, "person", lambda profile: [profile.person_id])
    registry.watch_many(Profile.expertise.through, "person", lambda profile: [profile.person_id])


@receiver(signals.person_changed, dispatch_uid="search:person_changed")
def person_changed(sender: Any, person_id: int, **kwargs: Any) -> None:
    """The core changed someone without saving the model (their details, an erasure)."""
    indexing.reindex("person", person_id)
