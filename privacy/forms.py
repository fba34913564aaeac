from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ErasureForm(forms.Form):
    """The administrator's choice on the confirmation page of "Erase"."""

    KEEP, REMOVE = "keep", "remove"

    contributions = forms.ChoiceField(
        label=_("Their posts, replies and documents"),
        choices=[
            (
                KEEP,
                _(
                    "Keep them: posts and replies readable in their threads, documents in "
                    'the library, under "Former colleague"'
                ),
            ),
            (REMOVE, _("Remove them, as deleting them would, documents with their files")),
        ],
        widget=forms.RadioSelect,
    )

    @property
    def keep_contributions(self) -> bool:
        return self.cleaned_data["contributions"] == self.KEEP
