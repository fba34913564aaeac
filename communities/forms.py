import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from communities import queries
from communities import uploads as uploads_module
from communities.models import Group, Post
from communities.uploads import PreparedFile


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.Field):
    """Any number of files; each is checked by communities.uploads, which says why it refuses."""

    widget = MultipleFileInput

    def clean(self, value):
        return [upload for upload in (value or []) if upload]


TOO_LONG = _(
    "Your text is %(show_value)s characters long; at most %(limit_value)s fit. "
    "Shorten it and try again: nothing was posted, and your text is still here."
)


class PostForm(forms.Form):
    # An event's card is posted by the agenda, never typed: it is no choice here.
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(value, label) for value, label in Post.Kind.choices if value != Post.Kind.EVENT],
        initial=Post.Kind.UPDATE,
        required=False,
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, required=False, initial=uuid.uuid4)
    body = forms.CharField(
        label=_("Message"),
        max_length=settings.POST_MAX_LENGTH,
        error_messages={"max_length": TOO_LONG},
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": _("Share something with the group")}
        ),
    )
    files = MultipleFileField(label=_("Photos or documents"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.size_check_attrs = uploads_module.size_check_attrs()

    def clean_files(self) -> list[PreparedFile]:
        """Each file checked by its content; a refusal names the file and says why."""
        uploads = self.cleaned_data["files"]
        if len(uploads) > settings.ATTACHMENTS_PER_POST:
            raise ValidationError(
                _("At most %(count)s files per post.") % {"count": settings.ATTACHMENTS_PER_POST}
            )
        prepared, errors = [], []
        for upload in uploads:
            try:
                prepared.append(uploads_module.prepare(upload))
            except ValidationError as refusal:
                errors.extend(refusal.messages)
        if errors:
            raise ValidationError(errors)
        return prepared

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("body") or "").strip() and not data.get("files") and not self.errors:
            self.add_error("body", _("Write something before posting."))
        return data


class HomePostForm(PostForm):
    """Posting from the home page: the same form, and the group it goes to, one of
    those the person may post in."""

    group = forms.ModelChoiceField(
        label=_("Group"),
        queryset=Group.objects.none(),
        empty_label=None,
        error_messages={"invalid_choice": _("Choose one of your groups.")},
    )
    field_order = ["group", "kind", "title", "body", "files"]

    def __init__(self, *args, groups=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if groups is not None:
            self.fields["group"].queryset = groups


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


class AddMemberForm(forms.Form):
    """A manager picks someone to add: by the autocomplete (which fills ``username``),
    or without JavaScript by typing a name or username that must name one person."""

    person = forms.CharField(label=_("Name or username"), max_length=150)
    username = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, group: Group, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.group = group

    def clean(self) -> dict:
        data = super().clean()
        picked = (data.get("username") or "").strip()
        typed = data.get("person") or ""
        found = queries.person_named(self.group, picked or typed)
        if not typed.strip() and not picked:
            return data
        if not found:
            self.add_error("person", _("No one is called “%(text)s”.") % {"text": typed})
        elif len(found) > 1:
            names = ", ".join(f"{p.display_name} ({p.username})" for p in found)
            several = _(
                "Several people match “%(text)s”: %(names)s. Type more of the name, or the username."  # noqa: E501
            )
            self.add_error("person", several % {"text": typed, "names": names})
        else:
            data["member"] = found[0]
        return data
