"""The test provider as a process on a free 127.0.0.1 port, for a module's tests."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.live import ROOT, end_process, free_port

CLIENT_ID = "kring"
CLIENT_SECRET = "kring-test-secret"
PASSWORD = "provider-password-1"


def rsa_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


class ProviderProcess:
    """django-oauth-toolkit serving OpenID Connect; ``users`` are (username, email,
    first name, last name), each with ``PASSWORD``."""

    def __init__(self, folder: Path, users: list[tuple[str, str, str, str]]) -> None:
        self.folder = folder
        self.port = free_port()
        self.log_path = folder / "provider.log"
        (folder / "setup.json").write_text(
            json.dumps(
                {
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "users": [
                        {
                            "username": username,
                            "email": email,
                            "first_name": first,
                            "last_name": last,
                            "password": PASSWORD,
                        }
                        for username, email, first, last in users
                    ],
                }
            )
        )
        self.set_claims({})
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def set_claims(self, directory: dict[str, dict[str, str]]) -> None:
        """What the directory says of each user from the next token on."""
        (self.folder / "claims.json").write_text(json.dumps(directory))

    def start(self) -> ProviderProcess:
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "OIDC"))},
            "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
            "PROVIDER_DIR": str(self.folder),
            "PROVIDER_RSA_KEY": rsa_key(),
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc_provider.serve", str(self.port)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        discovery = f"{self.issuer}/.well-known/openid-configuration"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the provider exited: {self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(discovery, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the provider did not answer: {self.log_path.read_text()}")

    def stop(self) -> None:
        end_process(self.process)
        self.process = None
