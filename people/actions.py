"""The one write path of the people app: someone edits their own profile."""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from communities import actions as core_actions
from communities.models import Person
from communities.uploads import PreparedProfilePhoto
from people.models import Expertise, Profile


def edit_profile(
    person: Person,
    *,
    job_title: str,
    department: str,
    location: str,
    phone: str,
    bio: str,
    expertise: list[str],
    photo: PreparedProfilePhoto | None = None,
    remove_photo: bool = False,
) -> Profile:
    """Everything the profile form holds, in one transaction: all of it or none.
    The details the core keeps (job title, department, location, photo) go through
    the core's actions; ``expertise`` holds names, made into tags as needed."""
    with transaction.atomic():
        core_actions.update_person_details(
            person, job_title=job_title, department=department, location=location
        )
        if photo is not None:
            core_actions.set_person_photo(person, photo)
        elif remove_photo:
            core_actions.remove_person_photo(person)
        profile, _created = Profile.objects.get_or_create(person=person)
        profile.phone = phone.strip()
        profile.bio = bio.strip()
        profile.full_clean(exclude=["person"])
        profile.save()
        profile.expertise.set(_expertise(expertise))
    return profile


def _expertise(names: list[str]) -> list[Expertise]:
    """The tags for these names; a name that differs only in capitals or accents
    from one that exists is that one."""
    found: list[Expertise] = []
    for name in names:
        slug = slugify(name, allow_unicode=True)
        if not slug:
            continue
        tag, _created = Expertise.objects.get_or_create(slug=slug, defaults={"name": name})
        if tag not in found:
            found.append(tag)
    return found


def forget_profile(person: Person) -> None:
    """An erased person's profile goes: phone, bio, and what to ask them about; a
    topic nobody else has goes with it, so it names no one in the directory."""
    topics = list(
        Profile.expertise.through.objects.filter(profile__person=person).values_list(
            "expertise_id", flat=True
        )
    )
    Profile.objects.filter(person=person).delete()
    Expertise.objects.filter(pk__in=topics, profiles=None).delete()
