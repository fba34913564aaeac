"""The upload, replace and edit forms of the document library. A file is checked by
``actions.check_file`` (size first, then its content); a refused file keeps what
else was typed (title, description, tags, library)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.models import Group
from documents import actions, queries
from documents.queries import ORGANISATION

ACCEPT = ",".join(
    [
        ".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".txt", ".csv",
        ".jpg", ".jpeg", ".png", ".gif", ".webp",
    ]
)  # fmt: skip


def _file_field(label: Any) -> forms.FileField:
    return forms.FileField(label=label, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}))


def size_check_attrs() -> dict[str, str]:
    """What compose.js needs to refuse a file too large before anything is sent."""
    limit = filesizeformat(settings.DOCUMENT_MAX_BYTES)
    refusal = gettext(
        "{name} is too large: a document may be at most %(limit)s. Nothing was sent."
    ) % {"limit": limit}
    return {
        "data-max-bytes": str(settings.DOCUMENT_MAX_BYTES),
        "data-max-total": str(settings.DOCUMENT_MAX_BYTES),
        "data-too-large": str(refusal),
        "data-too-much": str(refusal).replace("{name}", ""),
    }


class _FileChecked(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["file"]
        field.help_text = gettext(
            "PDF, Word, Excel, PowerPoint, OpenDocument, text, CSV or a picture; at most %(limit)s."
        ) % {"limit": filesizeformat(settings.DOCUMENT_MAX_BYTES)}
        field.widget.attrs.update(size_check_attrs())

    def clean_file(self) -> actions.CheckedFile:
        return actions.check_file(self.cleaned_data["file"])


class DocumentDetailsForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Words that start with #, separated by spaces: #protocol #hygiene"),
    )

    def clean_tags(self) -> list[str]:
        return actions.parse_tags(self.cleaned_data.get("tags", ""))


class UploadForm(DocumentDetailsForm, _FileChecked):
    library = forms.ChoiceField(label=_("Library"))
    file = _file_field(_("File"))

    field_order = ["file", "title", "description", "tags", "library"]

    def __init__(self, *args: Any, person: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = {g.slug: g for g in queries.libraries_of(person)}
        self.fields["library"].choices = [(ORGANISATION, _("The organisation's library"))] + [
            (slug, group.name) for slug, group in self.groups.items()
        ]
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Left empty: the file's name.")

    def clean_library(self) -> Group | None:
        slug = self.cleaned_data["library"]
        return None if slug == ORGANISATION else self.groups[slug]


class ReplaceForm(_FileChecked):
    file = _file_field(_("New version"))


def refusal(error: ValidationError) -> str:
    return " ".join(error.messages)
