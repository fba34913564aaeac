"""What the API's resource tests share: a client acting as a person."""

from rest_framework.test import APIClient


def api_as(person) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=person)
    return client
