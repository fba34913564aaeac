from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from communities.models import Group


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=settings.POST_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("Share something with the group")}
        ),
        error_messages={"required": _("Write something before posting.")},
    )


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    privacy = forms.ChoiceField(
        label=_("Who can see it"),
        choices=Group.Privacy.choices,
        initial=Group.Privacy.OPEN,
        widget=forms.RadioSelect,
    )
