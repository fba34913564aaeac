from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from communities.models import Person


def person_detail(request: HttpRequest, username: str) -> HttpResponse:
    person = get_object_or_404(Person, username=username, is_active=True)
    return render(request, "communities/person.html", {"person": person})
