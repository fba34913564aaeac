import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.uploads import prepare_profile_photo, size_check_attrs
from people.models import BIO_MAX_LENGTH, EXPERTISE_MAX

PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")
EXPERTISE_NAME_MAX = 60


class ProfileForm(forms.Form):
    """One's own profile. The photo is checked and prepared here, before anything is
    written, so a bad photo leaves every other field as typed and nothing saved."""

    photo = forms.FileField(
        label=_("New photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_photo = forms.BooleanField(label=_("Remove my photo"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=150, required=False)
    department = forms.CharField(label=_("Department"), max_length=150, required=False)
    location = forms.CharField(label=_("Location"), max_length=150, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        help_text=_("For example 030 123 45 67 or +31 6 12345678."),
    )
    expertise = forms.CharField(
        label=_("Ask me about"),
        required=False,
        max_length=EXPERTISE_MAX * (EXPERTISE_NAME_MAX + 2),
    )
    bio = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=BIO_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # No maxlength in the page: a browser would cut a long paste silently;
        # the form says how long it may be instead.
        for name in ("bio", "expertise"):
            self.fields[name].widget.attrs.pop("maxlength", None)
        # Filled in here, in the language of the request.
        self.fields["photo"].help_text = gettext(
            "JPEG, PNG, GIF or WebP, at most %(limit)s. It is cropped to a square."
        ) % {"limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}
        self.fields["photo"].widget.attrs.update(size_check_attrs())
        self.fields["expertise"].help_text = gettext(
            "Topics colleagues may ask you about, separated by commas (at most %(n)s)."
        ) % {"n": EXPERTISE_MAX}
        self.fields["bio"].help_text = gettext("A few words, at most %(n)s characters.") % {
            "n": BIO_MAX_LENGTH
        }

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        if not upload:
            return None
        return prepare_profile_photo(upload)

    def clean_phone(self):
        phone = " ".join(self.cleaned_data["phone"].split())
        if phone and not PHONE.match(phone):
            raise ValidationError(
                _("Write a phone number with digits, spaces and perhaps a + at the start.")
            )
        return phone

    def clean_expertise(self):
        names: list[str] = []
        for raw in self.cleaned_data["expertise"].split(","):
            name = " ".join(raw.split())
            if not name:
                continue
            if len(name) > EXPERTISE_NAME_MAX:
                raise ValidationError(
                    _("“%(name)s” is too long: at most %(n)s characters per topic.")
                    % {"name": name[:20] + "…", "n": EXPERTISE_NAME_MAX}
                )
            if name.lower() not in {n.lower() for n in names}:
                names.append(name)
        if len(names) > EXPERTISE_MAX:
            raise ValidationError(_("At most %(n)s topics, please.") % {"n": EXPERTISE_MAX})
        return names
