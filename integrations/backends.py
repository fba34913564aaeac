"""An integration's account is no one's login.

It is made with an unusable password, but an administrator could still give it
one in the admin. This backend, first in ``AUTHENTICATION_BACKENDS``, refuses
such a username outright (PermissionDenied stops Django trying the backends
after it), so neither Kring's login page nor the admin's lets it in; any other
username it leaves to ``ModelBackend`` after it. It is a ModelBackend for the
rest, so a session it is named in (``force_login`` names the first backend)
finds its person as ModelBackend would.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


class NoIntegrationLogins(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        model = get_user_model()
        if username is None:
            username = kwargs.get(model.USERNAME_FIELD)
        if (
            username
            and model.objects.filter(username__iexact=username, is_integration=True).exists()
        ):
            raise PermissionDenied("an integration's account cannot log in")
        return None
