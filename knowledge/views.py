from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def page_list(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/list.html")
