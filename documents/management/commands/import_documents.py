"""Leaving the shared drive: every file in a folder tree that the library takes becomes
a document, the folder names on its path its #tags, its title from its file name.

    manage.py import_documents /mnt/gedeeld/Kwaliteit --into wondzorg --as anouk --dry-run
    manage.py import_documents /mnt/gedeeld/Kwaliteit --into organisation --as anouk

Each file goes through the same action and checks as the upload form
(``documents.actions.check_file`` and ``add_document``); the text of each is read by
the worker afterwards. A file imported before (the same path under the folder, size
and content) is skipped, so running it again imports only what is new. A dry run
changes nothing and prints the same report.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from communities import parsing
from communities.models import Group, Person, Tag
from documents import actions, queries

ORGANISATION = "organisation"
NOT_IN_TAGS = re.compile(r"[^\w-]+")

REASONS = {
    "too_large": "too large",
    "wrong_type": "wrong type",
    "empty": "empty",
    "duplicate": "already imported",
    "hidden": "hidden file",
    # A zip bomb, or a picture of more pixels than IMAGE_MAX_PIXELS.
    "refused": "refused: it would unpack to too much",
}


def folder_tag(name: str) -> str | None:
    """A folder's name as a tag: "Protocollen 2024" is #protocollen-2024."""
    return parsing.clean_tag(NOT_IN_TAGS.sub("-", name.strip()).strip("-_"))


def title_of(filename: str) -> str:
    stem = filename.rsplit(".", 1)[0] if "." in filename.strip(".") else filename
    return re.sub(r"[_\s]+", " ", stem).strip() or filename


class Command(BaseCommand):
    help = (
        "Import a folder tree (a shared drive) into a library: each allowed file a document, "
        "the folder names its #tags. Try it with --dry-run first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="The folder to import, with everything under it.")
        parser.add_argument(
            "--into",
            required=True,
            help='The library: a group\'s address (slug), or "organisation".',
        )
        parser.add_argument(
            "--as", dest="username", required=True, help="Whose upload they are (a username)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Change nothing: report what would be done."
        )

    def handle(
        self, *args: Any, folder: str, into: str, username: str, dry_run: bool, **options: Any
    ) -> None:
        root = Path(folder).expanduser()
        if not root.is_dir():
            raise CommandError(f"No such folder: {root}")
        try:
            person = Person.objects.get(username=username, is_active=True)
        except Person.DoesNotExist:
            raise CommandError(f"No active person with the username {username!r}") from None
        group = None
        if into != ORGANISATION:
            group = Group.objects.filter(slug=into).first()
            if group is None:
                raise CommandError(f'No group with the address {into!r} (or use "organisation")')
        if not queries.may_add_to(person, group):
            raise CommandError(f"{username} is not a member of {group}: only members add to it")

        library = group.name if group else "the organisation's library"
        self.stdout.write(
            f"Importing {root} into {library} as {username}"
            + (" (dry run: nothing is changed)" if dry_run else "")
        )
        existing_tags = set(Tag.objects.values_list("name", flat=True))
        tags_made: dict[str, None] = {}
        imported = 0
        skipped: Counter[str] = Counter()
        for path in self._files(root):
            relative = path.relative_to(root).as_posix()
            tags = [
                t for t in (folder_tag(part) for part in path.relative_to(root).parts[:-1]) if t
            ]
            reason = self._import(person, group, path, relative, tags, dry_run)
            if reason:
                skipped[reason] += 1
                self.stdout.write(f"skipped   {relative}: {REASONS[reason]}")
                continue
            imported += 1
            shown_tags = " ".join(f"#{t}" for t in tags)
            self.stdout.write(
                f"imported  {relative} as “{title_of(path.name)}” {shown_tags}".rstrip()
            )
            for tag in tags:
                if tag not in existing_tags:
                    tags_made[tag] = None
        self.stdout.write(
            "Tags made: " + (", ".join(f"#{t}" for t in tags_made) if tags_made else "none")
        )
        why = ", ".join(f"{count} {REASONS[reason]}" for reason, count in sorted(skipped.items()))
        self.stdout.write(
            f"Totals: {imported} imported, {sum(skipped.values())} skipped"
            + (f" ({why})" if why else "")
            + (" (dry run: nothing was changed)" if dry_run else "")
        )

    def _files(self, root: Path) -> list[Path]:
        found: list[Path] = []
        for folder, subfolders, names in os.walk(root):
            subfolders[:] = sorted(s for s in subfolders if not s.startswith("."))
            found.extend(Path(folder) / name for name in sorted(names))
        return found

    def _import(
        self,
        person: Person,
        group: Group | None,
        path: Path,
        relative: str,
        tags: list[str],
        dry_run: bool,
    ) -> str:
        """Import one file; the reason it was skipped, or "" once imported."""
        if path.name.startswith(".") or path.is_symlink():
            return "hidden"
        if path.stat().st_size > settings.DOCUMENT_MAX_BYTES:
            return "too_large"  # refused before it is read
        with path.open("rb") as handle:
            try:
                checked = actions.check_file(File(handle, name=path.name))
            except ValidationError as refusal:
                code = refusal.error_list[0].code
                return code if code in REASONS else "refused"
        if queries.imported(group, relative, checked.size, checked.sha256):
            return "duplicate"
        if dry_run:
            return ""
        try:
            actions.add_document(
                person,
                title=title_of(path.name),
                file=checked,
                group=group,
                tags=tags,
                source=relative,
            )
        except (PermissionDenied, ValidationError) as refusal:
            raise CommandError(f"{relative}: {refusal}") from refusal
        return ""
