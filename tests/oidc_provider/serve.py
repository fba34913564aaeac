"""``python -m tests.oidc_provider.serve PORT``: migrate the provider's database,
register Kring as a client and make the users named in ``setup.json``, then serve
on 127.0.0.1:PORT (Django's runserver, one process)."""

import json
import os
import sys

import django
from django.core.management import call_command


def prepare() -> None:
    from django.conf import settings
    from django.contrib.auth.models import User
    from oauth2_provider.models import Application

    setup = json.loads(settings.SETUP_FILE.read_text())
    Application.objects.update_or_create(
        client_id=setup["client_id"],
        defaults={
            "name": "Kring",
            "client_secret": setup["client_secret"],
            "client_type": Application.CLIENT_CONFIDENTIAL,
            "authorization_grant_type": Application.GRANT_AUTHORIZATION_CODE,
            # Loopback addresses match on any port (RFC 8252): each test's Kring has its own.
            "redirect_uris": "http://127.0.0.1/oidc/callback/",
            "post_logout_redirect_uris": "http://127.0.0.1/login/",
            "algorithm": Application.RS256_ALGORITHM,
            "skip_authorization": True,
        },
    )
    for user in setup["users"]:
        password = user.pop("password")
        made, _created = User.objects.update_or_create(username=user["username"], defaults=user)
        made.set_password(password)
        made.save()


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_provider.settings")
    django.setup()
    call_command("migrate", verbosity=0)
    prepare()
    call_command("runserver", f"127.0.0.1:{sys.argv[1]}", use_reloader=False, skip_checks=True)
