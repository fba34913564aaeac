"""The nudges' ready-made messages: one per segment, worded in each recipient's
language when sent (gettext), with their name, and a link to what to do.

A coach may write their own subject and text instead (``{name}`` becomes the
person's name); those are sent as written, in the coach's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from insights.models import Nudge

Segment = Nudge.Segment


@dataclass(frozen=True)
class Wording:
    subject: Any  # lazy translations, with %(name)s
    text: Any
    #: The route name of the page where the person does what the nudge asks.
    route: str


WORDINGS: dict[str, Wording] = {
    Segment.NEVER_POSTED: Wording(
        _("Hi %(name)s, your colleagues would like to hear from you"),
        _(
            "Hi %(name)s, you have not posted on Kring yet. A question, a tip or a "
            "short update in one of your groups helps your colleagues more than you think."
        ),
        "home",
    ),
    Segment.NO_PHOTO: Wording(
        _("Hi %(name)s, add a photo to your profile"),
        _(
            "Hi %(name)s, colleagues find you faster with a photo. Adding one to your "
            "profile takes a minute."
        ),
        "profile_edit",
    ),
    Segment.INACTIVE: Wording(
        _("Hi %(name)s, we missed you on Kring"),
        _(
            "Hi %(name)s, it has been a while since you opened Kring. Have a look at "
            "what your colleagues shared in the meantime."
        ),
        "home",
    ),
    Segment.NEWCOMERS: Wording(
        _("Welcome, %(name)s: find your groups"),
        _(
            "Hi %(name)s, welcome to Kring! Join the groups of your team and of the "
            "subjects you care about, so you see what matters to you."
        ),
        "group_list",
    ),
    Segment.QUIET_GROUP_MANAGERS: Wording(
        _("Hi %(name)s, your group has been quiet for a while"),
        _(
            "Hi %(name)s, nobody has posted in a group you manage for a month. A short "
            "question or an update often gets the conversation going again."
        ),
        "group_list",
    ),
    Segment.PAST_REVIEW_OWNERS: Wording(
        _("Hi %(name)s, a page you own is due for a check"),
        _(
            "Hi %(name)s, a knowledge page you look after is past its review date. Is it "
            "still correct? Check it or bring it up to date."
        ),
        "page_list",
    ),
}


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    path: str


def message_for(nudge: Nudge, name: str) -> Message:
    """What ``nudge`` says to someone called ``name``, in the active language."""
    wording = WORDINGS.get(nudge.template)
    if wording is not None:
        return Message(
            str(wording.subject) % {"name": name},
            str(wording.text) % {"name": name},
            reverse(wording.route),
        )
    default = WORDINGS[nudge.segment]
    return Message(
        nudge.subject.replace("{name}", name),
        nudge.message.replace("{name}", name),
        reverse(default.route),
    )
