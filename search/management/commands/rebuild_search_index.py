from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from search import indexing, registry
from search.models import Entry


class Command(BaseCommand):
    help = "Index everything that can be found again, from nothing (all kinds, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*", help="Only these kinds (e.g. post person).")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when the index holds nothing yet (a database from before search).",
        )

    def handle(self, *args: Any, kinds: list[str], if_empty: bool, **options: Any) -> None:
        known = {k.name for k in registry.kinds()}
        unknown = set(kinds) - known
        if unknown:
            raise CommandError(
                f"No such kind: {', '.join(sorted(unknown))} (known: {', '.join(sorted(known))})"
            )
        if if_empty and Entry.objects.exists():
            return
        for kind, count in indexing.rebuild(kinds or None).items():
            self.stdout.write(f"{kind}: {count} indexed")
