from django import forms
from django.utils.translation import gettext_lazy as _

from organisation import colours, images
from organisation.models import Organisation


class OrganisationForm(forms.ModelForm):
    """The administrator's form: the accent is refused when white text on it is not
    readable, and a logo is checked and resized before anything is saved."""

    logo_upload = forms.FileField(
        label=_("New logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP; made at most 512 px a side."),
    )
    remove_logo = forms.BooleanField(label=_("Remove the logo"), required=False)

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "accent"]

    def clean_accent(self) -> str:
        return colours.validate_accent(self.cleaned_data["accent"])

    def clean_logo_upload(self):
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        return images.prepare_logo(upload)
