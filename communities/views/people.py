"""Finding people to @mention, and profile photos. (The profile page is the people app's.)"""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from communities import queries
from communities.models import Person
from limits.decorators import limit


@require_GET
@limit("search")
def suggest_people(request: HttpRequest) -> HttpResponse:
    """Suggestions while typing an @mention; the compose box shows them as a listbox."""
    return render(
        request,
        "communities/fragments/mention_suggestions.html",
        {"people": queries.suggest_people(request.GET.get("q", ""))},
    )


@require_GET
def person_photo(request: HttpRequest, person_id: int, size: str, version: str) -> HttpResponse:
    """A profile photo, for every signed-in colleague. The address holds the photo's
    version, so a browser keeps it for a year; an old address leads to the current
    photo, which is not kept."""
    person = get_object_or_404(Person, pk=person_id, is_active=True)
    if size not in ("photo", "thumbnail") or not person.photo:
        raise Http404("no photo")
    if version != person.photo_version:
        response: HttpResponse = redirect(person.photo_url(size))
        response["Cache-Control"] = "private, no-cache"
        return response
    file = person.photo if size == "photo" else person.photo_thumbnail
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
