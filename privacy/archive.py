"""Writing a download: the JSON documents, a README.txt that explains them, and the
files the person uploaded, in one ZIP file."""

from __future__ import annotations

import json
import shutil
import zipfile
from typing import IO

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone

from communities.models import Person
from privacy import queries


def write_archive(person: Person, out: IO[bytes]) -> None:
    """The person's download, into ``out``, in the active language. A stored file
    that has gone missing is named in the README instead of failing the download."""
    contents = queries.contents_of(person)
    missing = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, document in contents.documents.items():
            archive.writestr(
                name, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
            )
        for path, stored in contents.files:
            try:
                with stored.open("rb") as source, archive.open(path, "w") as target:
                    shutil.copyfileobj(source, target, 1024 * 1024)
            except FileNotFoundError:
                missing.append(path)
        archive.writestr(
            "README.txt",
            render_to_string(
                "privacy/export_readme.txt",
                {
                    "person": person,
                    "made_at": timezone.now(),
                    "days": settings.DATA_EXPORT_DAYS,
                    "site_url": settings.SITE_URL,
                    "missing": missing,
                },
            ),
        )
