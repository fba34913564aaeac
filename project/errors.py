"""A form refused by Django's CSRF check, in Kring's look and language.

It happens to people for ordinary reasons: a page left open while they logged in
(or out) in another tab, which renews the token, or a browser that blocks
cookies. The page says so and what to do. Over htmx nothing of the page is
replaced (htmx swaps no 403, so what was typed stays): ``shell.js`` puts the
message in the page's alert region, where a rate limit's goes.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        response = render(request, "fragments/stale_form.html", status=403)
        response["Kring-Refused"] = "stale-form"  # static/kring/shell.js shows it
        return response
    return render(request, "403_csrf.html", status=403)
