"""The organisation's own style: name, logo and accent; the manifest and icons;
the design tokens' contrast; the shell's sidebar."""

import io
import json
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from communities import actions as community_actions
from organisation import actions, colours, queries
from organisation.images import prepare_logo
from tests.factories import GroupFactory

TOKENS = Path(__file__).resolve().parents[2] / "static" / "kring" / "tokens.css"


def png(size=(800, 400), colour="#336699", fmt="PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format=fmt)
    return out.getvalue()


# Colours ------------------------------------------------------------------------


def test_an_accent_too_light_for_white_text_is_refused_with_its_contrast():
    with pytest.raises(ValidationError) as refusal:
        colours.validate_accent("#f0a202")
    assert "too light" in refusal.value.messages[0]
    assert "2.0:1" in refusal.value.messages[0] or "2.1:1" in refusal.value.messages[0]


def test_an_accent_that_is_no_colour_is_refused():
    with pytest.raises(ValidationError, match="hex code"):
        colours.validate_accent("teal")


@pytest.mark.parametrize("accent", ["#0b6e6e", "#767676", "#1a56c4", "#6b2fa0", "#8a1538"])
def test_every_accepted_accent_reads_on_every_surface_in_both_modes(accent):
    colour = colours.validate_accent(accent)
    assert colours.contrast(colour, colours.WHITE) >= 4.5
    light, dark = colours.light_variant(colour), colours.dark_variant(colour)
    for surface in colours.LIGHT_SURFACES:
        assert colours.contrast(light, surface) >= 4.5
    for surface in colours.DARK_SURFACES:
        assert colours.contrast(dark, surface) >= 4.5


def tokens(mode: str) -> dict[str, str]:
    css = TOKENS.read_text()
    block = css.split("@media (prefers-color-scheme: dark)")[1 if mode == "dark" else 0]
    found = dict(re.findall(r"--([a-z0-9-]+):\s*(#[0-9a-f]{6})", block))
    if mode == "dark":
        return {**tokens("light"), **found}
    return found


@pytest.mark.parametrize("mode", ["light", "dark"])
def test_the_design_tokens_reach_aa_contrast(mode):
    """Text 4.5:1 on every surface; input borders 3:1 (WCAG 1.4.3 and 1.4.11)."""
    t = tokens(mode)
    surfaces = [t["bg"], t["surface"], t["surface-2"]]
    for text in ("ink", "muted", "error"):
        assert min(colours.contrast(t[text], s) for s in surfaces) >= 4.5, text
    assert min(colours.contrast(t["field-border"], s) for s in surfaces) >= 3
    assert colours.contrast(t["badge"], t["on-badge"]) >= 4.5
    # The surfaces the tokens define are the ones the accent variants are made for.
    expected = colours.LIGHT_SURFACES if mode == "light" else colours.DARK_SURFACES
    assert sorted(surfaces) == sorted(expected)


# The style on pages ----------------------------------------------------------------


@pytest.mark.django_db
def test_pages_carry_the_organisations_name_and_accent(team, client_for):
    actions.update_style(name="Zorggroep Noord", accent="#6b2fa0")
    page = client_for(team.alice).get("/").content.decode()
    assert "<title>Home · Zorggroep Noord</title>" in page
    # The colours come as a stylesheet (no inline style under the content security
    # policy), its address changing with every edit so a cached copy is not kept.
    sheet_url = f"/organisation/style.css?v={queries.style().version}"
    assert f'<link rel="stylesheet" href="{sheet_url}">' in page
    sheet = client_for(team.alice).get(sheet_url).content.decode()
    assert (
        "--brand: #6b2fa0" in sheet and f"--brand-dark: {colours.dark_variant('#6b2fa0')}" in sheet
    )
    assert '<meta name="theme-color" content="#6b2fa0">' in page
    assert 'class="brand-name">Zorggroep Noord<' in page


@pytest.mark.django_db
def test_the_defaults_hold_before_anyone_saved_a_style_and_reading_writes_nothing(client):
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/login/").content.decode()
    assert "<title>Log in · Kring</title>" in page
    assert not [q for q in captured if q["sql"].upper().startswith(("INSERT", "UPDATE"))]


@pytest.mark.django_db
def test_the_action_refuses_an_unreadable_accent_and_keeps_the_old_one():
    actions.update_style(accent="#1a56c4")
    with pytest.raises(ValidationError):
        actions.update_style(name="Nieuw", accent="#ffee00")
    assert queries.current().accent == "#1a56c4"
    assert queries.current().name == "Kring"


# The logo ----------------------------------------------------------------------------


def test_a_logo_is_resized_and_re_encoded_as_png():
    made = prepare_logo(SimpleUploadedFile("logo.jpg", png((1600, 800), fmt="JPEG")))
    with Image.open(io.BytesIO(made.read())) as image:
        assert image.format == "PNG" and image.size == (512, 256)


def test_a_file_that_is_no_image_is_refused_as_a_logo():
    with pytest.raises(ValidationError, match="not an image"):
        prepare_logo(SimpleUploadedFile("logo.png", b"just some text, named .png"))


@pytest.mark.django_db
def test_the_logo_is_served_by_a_view_and_shown_in_the_header(team, client_for, client):
    actions.update_style(logo=prepare_logo(SimpleUploadedFile("l.png", png())))
    page = client_for(team.alice).get("/").content.decode()
    url = re.search(r'class="brand-logo" src="([^"]+)"', page).group(1)
    response = client.get(url)  # also before logging in: the login page shows it
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).size == (512, 256)


@pytest.mark.django_db
def test_an_administrator_sets_the_style_in_the_admin(admin_client):
    url = "/admin/organisation/organisation/1/change/"
    assert admin_client.get("/admin/organisation/organisation/").url == url
    refused = admin_client.post(url, {"name": "Zorggroep", "short_name": "", "accent": "#fff000"})
    assert refused.status_code == 200 and "too light" in refused.content.decode()
    assert queries.current().name == "Kring"
    logo = SimpleUploadedFile("logo.png", png())
    saved = admin_client.post(
        url, {"name": "Zorggroep", "short_name": "Zorg", "accent": "#8a1538", "logo_upload": logo}
    )
    assert saved.status_code == 302
    organisation = queries.current()
    assert (organisation.name, organisation.app_name, organisation.accent) == (
        "Zorggroep",
        "Zorg",
        "#8a1538",
    )
    assert organisation.logo.name.endswith(".png")


# The web app manifest ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manifest_is_valid_and_names_the_organisation(client):
    actions.update_style(name="Zorggroep Noord", short_name="Noord", accent="#8a1538")
    response = client.get("/manifest.webmanifest")  # no login needed
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Zorggroep Noord" and manifest["short_name"] == "Noord"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["theme_color"] == manifest["background_color"] == "#8a1538"
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert sizes == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    for icon in manifest["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200 and served["Content-Type"] == icon["type"] == "image/png"
        with Image.open(io.BytesIO(served.content)) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]
            if icon["purpose"] == "maskable":  # full bleed: the corners are the accent
                assert image.convert("RGB").getpixel((0, 0)) == colours.rgb("#8a1538")


@pytest.mark.django_db
def test_icons_come_from_the_logo_when_there_is_one(client):
    actions.update_style(logo=prepare_logo(SimpleUploadedFile("l.png", png(colour="#ff0000"))))
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    src = next(i["src"] for i in manifest["icons"] if i["sizes"] == "512x512")
    with Image.open(io.BytesIO(client.get(src).content)) as image:
        assert image.convert("RGB").getpixel((256, 256)) == (255, 0, 0)


@pytest.mark.django_db
def test_pages_link_the_manifest_and_the_touch_icon(client):
    page = client.get("/login/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    touch = re.search(r'rel="apple-touch-icon" href="([^"]+)"', page).group(1)
    with Image.open(io.BytesIO(client.get(touch).content)) as image:
        assert image.size == (180, 180)
    assert client.get("/organisation/icon-333.png").status_code == 404


# The shell --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_sidebar_lists_ones_groups_and_tags_in_the_same_queries_for_1_or_8(team, client_for):
    client = client_for(team.alice)

    def queries_for_page():
        with CaptureQueriesContext(connection) as captured:
            page = client.get("/groups/").content.decode()
        return page.split('id="site-nav"')[1].split("</nav>")[0], len(captured)

    community_actions.follow_tag(team.alice, "wondzorg")
    few_nav, few = queries_for_page()
    for n in range(7):
        GroupFactory(name=f"Kring {n}", slug=f"kring-{n}", members=[team.alice])
        community_actions.follow_tag(team.alice, f"onderwerp{n}")
    many_nav, many = queries_for_page()
    assert "Kenniskring wondzorg" in few_nav and "wondzorg" in few_nav
    assert all(f"Kring {n}" in many_nav and f"onderwerp{n}" in many_nav for n in range(7))
    assert few == many


@pytest.mark.django_db
def test_no_emoji_in_any_page_reactions_and_bell_are_svg(team, client_for):
    post = community_actions.post_to_group(team.alice, team.group, "Hallo")
    community_actions.toggle_reaction(team.bob, post, "celebrate")
    page = client_for(team.alice).get("/groups/wondzorg/").content.decode()
    assert not re.search("[\U0001f300-\U0001faff\u2600-\u27bf]", page)
    assert 'class="icon icon-bell"' in page
    for kind in ("like", "thanks", "celebrate", "insightful", "support"):
        assert f'class="icon icon-{kind}"' in page
    assert 'aria-label="Celebrate: 1"' in page


@pytest.mark.django_db
def test_a_short_name_is_offered_for_narrow_screens_only_when_there_is_one(team, client_for):
    actions.update_style(name="Zorggroep Noord")
    page = client_for(team.alice).get("/").content.decode()
    assert 'class="brand-short"' not in page
    actions.update_style(short_name="Noord")
    page = client_for(team.alice).get("/").content.decode()
    assert 'class="brand-name">Zorggroep Noord</span><span class="brand-short">Noord</span>' in page
