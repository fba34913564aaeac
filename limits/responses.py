"""What a refused request gets: 429 with ``Retry-After``, and a message.

A view that re-renders its form (the compose box, a reply, the login page)
puts the message on the form, as it does a validation error, and passes its
response through ``refuse``. Any other request gets ``too_many``: over htmx a
message in the page's alert region (``#limit-message`` in base.html) that
replaces nothing, so whatever was typed stays; without htmx the 429 page.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from limits.counting import Limited


def refuse(response: HttpResponse, limited: Limited) -> HttpResponse:
    """Make ``response`` the refusal: status 429, and when to try again."""
    response.status_code = 429
    response["Retry-After"] = str(limited.retry_after)
    return response


def too_many(request: HttpRequest, limited: Limited) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        response = render(request, "limits/fragments/limited.html", {"limited": limited})
        # Only the alert region changes (out of band): no form is replaced.
        response["HX-Reswap"] = "none"
    else:
        response = render(request, "429.html", {"limited": limited})
    return refuse(response, limited)
