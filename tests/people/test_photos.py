"""Profile photos: checked, cleaned, cropped, served with a version, and removable."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from communities import actions
from communities.models import Person
from communities.templatetags.avatars import COLOURS, avatar, initials
from communities.uploads import prepare_profile_photo
from tests.factories import PersonFactory
from tests.people.helpers import photo_bytes, upload


def contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    return 1.05 / (luminance + 0.05)


def test_a_photo_is_cropped_square_in_the_middle_and_loses_its_exif():
    assert Image.open(io.BytesIO(photo_bytes())).getexif()  # the upload has EXIF
    prepared = prepare_profile_photo(upload())
    photo = Image.open(io.BytesIO(prepared.photo))
    thumbnail = Image.open(io.BytesIO(prepared.thumbnail))
    assert photo.format == "JPEG" and photo.size == (512, 512)
    assert thumbnail.size == (128, 128)
    assert not photo.getexif() and "exif" not in photo.info
    # The blue stripe of the middle of the landscape photo is in the middle of the square.
    r, g, b = photo.getpixel((256, 256))
    assert b > 200 and r < 60
    r, g, b = photo.getpixel((20, 256))
    assert r > 150 and b < 80


def test_a_small_or_transparent_photo_is_still_square():
    prepared = prepare_profile_photo(upload("klein.png", photo_bytes((90, 200), fmt="PNG")))
    assert Image.open(io.BytesIO(prepared.photo)).size == (90, 90)


def test_something_that_is_not_a_photo_is_refused_with_its_name():
    with pytest.raises(ValidationError, match="notities.png is not a photo"):
        prepare_profile_photo(upload("notities.png", b"just some text, not a png"))


def test_a_photo_too_large_is_refused(settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    with pytest.raises(ValidationError, match="too large"):
        prepare_profile_photo(upload())


def test_initials_skip_the_little_words_of_dutch_surnames():
    assert initials("Anouk de Vries") == "AV"
    assert initials("Jeroen van 't Hek") == "JH"
    assert initials("Zoë") == "Z"
    assert initials("") == "?"


def test_every_avatar_colour_carries_white_text_at_aa_contrast():
    assert all(contrast_with_white(colour) >= 4.5 for colour in COLOURS)


@pytest.mark.django_db
def test_an_avatar_is_a_photo_or_initials_on_a_colour_that_stays_the_same():
    anouk = PersonFactory(display_name="Anouk de Vries")
    html = str(avatar(anouk, "sm"))
    assert ">AV</span>" in html and 'aria-hidden="true"' in html
    assert html == str(avatar(Person.objects.get(pk=anouk.pk), "sm"))
    labelled = str(avatar(anouk, "lg", labelled=True))
    assert 'role="img"' in labelled and 'aria-label="Anouk de Vries"' in labelled
    actions.set_person_photo(anouk, prepare_profile_photo(upload()))
    html = str(avatar(anouk, "sm"))
    assert html.startswith("<img") and 'alt=""' in html and anouk.photo_url() in html


@pytest.mark.django_db
def test_the_photo_is_served_to_colleagues_with_its_version_and_kept_long(client_for, client):
    anouk = PersonFactory(username="anouk")
    actions.set_person_photo(anouk, prepare_profile_photo(upload()))
    colleague = client_for(PersonFactory())
    url = anouk.photo_url("photo")
    response = colleague.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "max-age=31536000" in response["Cache-Control"]
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (512, 512)
    assert client.get(url).status_code == 302  # not signed in: to the login page
    assert "/login/" in client.get(url)["Location"]

    old = url
    actions.set_person_photo(anouk, prepare_profile_photo(upload(colour=(0, 200, 0))))
    assert anouk.photo_url("photo") != old
    moved = colleague.get(old)
    assert moved.status_code == 302 and moved["Location"] == anouk.photo_url("photo")
    assert "max-age" not in moved["Cache-Control"]

    actions.remove_person_photo(anouk)
    assert colleague.get(anouk.photo_url("photo") or old).status_code == 404
    assert not Person.objects.get(pk=anouk.pk).photo


@pytest.mark.django_db
def test_a_new_photo_replaces_the_old_files(django_capture_on_commit_callbacks):
    anouk = PersonFactory()
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_person_photo(anouk, prepare_profile_photo(upload()))
    storage = anouk.photo.storage
    old = [anouk.photo.name, anouk.photo_thumbnail.name]
    assert all(storage.exists(name) for name in old)
    with django_capture_on_commit_callbacks(execute=True):
        actions.set_person_photo(anouk, prepare_profile_photo(upload()))
    assert not any(storage.exists(name) for name in old)
    assert storage.exists(anouk.photo.name)
    with django_capture_on_commit_callbacks(execute=True):
        actions.remove_person_photo(anouk)
    assert storage.listdir("people")[1] == []
