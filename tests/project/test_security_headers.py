"""Every response carries the browser security headers: a content security policy
that allows scripts and styles from Kring only, Permissions-Policy with the
device features off, Referrer-Policy, X-Content-Type-Options and X-Frame-Options."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "manifest-src": "'self'",
}


def directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


def assert_secured(response) -> None:
    policy = directives(response.headers["Content-Security-Policy"])
    assert policy == POLICY
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response.headers["Content-Security-Policy"]
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_login_page_is_secured():
    response = Client().get(reverse("login"))
    assert response.status_code == 200
    assert_secured(response)


def test_a_page_and_a_fragment_are_secured(team, client_for):
    client = client_for(team.alice)
    page = client.get(reverse("group", args=[team.group.slug]))
    assert page.status_code == 200
    assert_secured(page)
    fragment = client.get(
        reverse("group_newer", args=[team.group.slug]), headers={"HX-Request": "true"}
    )
    assert fragment.status_code in (200, 204)
    assert_secured(fragment)


def test_an_error_page_is_secured(team, client_for):
    response = client_for(team.alice).get("/no/such/page/")
    assert response.status_code == 404
    assert_secured(response)


def test_the_admin_is_secured(team, client_for):
    team.alice.is_staff = team.alice.is_superuser = True
    team.alice.save()
    response = client_for(team.alice).get("/admin/")
    assert response.status_code == 200
    assert_secured(response)


def test_pages_carry_no_inline_style_or_script(team, client_for):
    """What the policy would block: the organisation's colours come as a stylesheet."""
    client = client_for(team.alice)
    html = client.get(reverse("group", args=[team.group.slug])).content.decode()
    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html
    assert reverse("organisation_style") in html


@pytest.mark.django_db
def test_the_organisation_colours_are_a_stylesheet():
    response = Client().get(reverse("organisation_style"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "--brand: #0b6e6e" in response.content.decode()
    assert "max-age=3600" in response.headers["Cache-Control"]
