"""``{% avatar person "sm" %}``: someone's photo, or their initials on a colour.

The colour is picked from the person (their id), so it stays the same on every
page and every machine; each colour carries white text at 4.5:1 or more (WCAG AA).
Everything the avatar needs is on the Person row, so a list that selects its
people (``select_related``) draws avatars with no query of their own.

An erased person ("Former colleague") has a neutral avatar: a grey figure.

Next to the name it stands for, an avatar is decorative (``alt=""``, hidden from
screen readers); ``{% avatar person "lg" labelled=True %}`` names the person.
"""

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from organisation.templatetags.icons import icon

register = template.Library()

#: White on each of these has a contrast of at least 4.5:1 (tests check it).
COLOURS = [
    "#0b6e4f",
    "#1d4ed8",
    "#6d28d9",
    "#b91c1c",
    "#9a3412",
    "#0f766e",
    "#be185d",
    "#4338ca",
    "#15803d",
    "#0e7490",
    "#7e22ce",
    "#854d0e",
]
SIZES = {"xs": 24, "sm": 32, "md": 48, "lg": 128}
# Little words of Dutch surnames that initials skip: "Anouk de Vries" is AV.
PARTICLES = {"de", "van", "der", "den", "het", "'t", "te", "ten", "ter", "la", "le", "el", "du"}


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w.lower() not in PARTICLES]
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def colour_index(person) -> int:
    return (person.pk or 0) % len(COLOURS)


@register.simple_tag
def avatar(person, size: str = "sm", labelled: bool = False):
    pixels = SIZES.get(size, SIZES["sm"])
    name = str(person)
    if getattr(person, "is_erased", False):
        # A former colleague: no photo, no initials, no colour of their own.
        return format_html(
            '<span class="avatar avatar-{} avatar-former" aria-hidden="true">{}</span>',
            size,
            icon("person", pixels * 5 // 8),
        )
    alt = _("Photo of %(name)s") % {"name": name} if labelled else ""
    if person.photo:
        which = "photo" if pixels > 64 else "thumbnail"
        return format_html(
            '<img class="avatar avatar-{}" src="{}" alt="{}" width="{}" height="{}"'
            ' loading="lazy">',
            size,
            person.photo_url(which),
            alt,
            pixels,
            pixels,
        )
    if labelled:
        return format_html(
            '<span class="avatar avatar-{} avatar-c{}" role="img" aria-label="{}">{}</span>',
            size,
            colour_index(person),
            name,
            initials(name),
        )
    return format_html(
        '<span class="avatar avatar-{} avatar-c{}" aria-hidden="true">{}</span>',
        size,
        colour_index(person),
        initials(name),
    )
