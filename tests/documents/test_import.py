"""``manage.py import_documents``: a shared drive's folder tree into a library."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from communities.models import Tag
from documents.models import Document, DocumentVersion
from tests.documents import files


@pytest.fixture
def drive(tmp_path):
    root = tmp_path / "gedeeld"
    (root / "Protocollen" / "Wondzorg 2024").mkdir(parents=True)
    (root / "Nieuwsbrieven").mkdir()
    (root / "Protocollen" / "Wondzorg 2024" / "Decubitus_preventie.docx").write_bytes(
        files.docx_bytes("Wissel elke twee uur van houding")
    )
    (root / "Protocollen" / "Handhygiene.pdf").write_bytes(files.pdf_bytes("handen wassen"))
    (root / "Nieuwsbrieven" / "Maart.odt").write_bytes(files.odt_bytes("Nieuws van maart"))
    (root / "Nieuwsbrieven" / "programma.exe").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00")
    (root / "Nieuwsbrieven" / "film.pdf").write_bytes(files.pdf_bytes("x" * 70_000))
    (root / "lijst.csv").write_bytes(b"naam;afdeling\nCarol;Kliniek\n")
    return root


def run(*args: str) -> str:
    out = StringIO()
    call_command("import_documents", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_changes_nothing_and_reports_what_the_real_run_does(
    team, drive, settings, django_capture_on_commit_callbacks
):
    settings.DOCUMENT_MAX_BYTES = 60_000
    dry = run(str(drive), "--into", "wondzorg", "--as", "bob", "--dry-run")
    assert not Document.objects.exists() and not Tag.objects.exists()
    assert "dry run" in dry
    assert "skipped   Nieuwsbrieven/programma.exe: wrong type" in dry
    assert "skipped   Nieuwsbrieven/film.pdf: too large" in dry
    assert (
        "imported  Protocollen/Wondzorg 2024/Decubitus_preventie.docx as “Decubitus preventie” "
        "#protocollen #wondzorg-2024" in dry
    )
    assert "Tags made: #nieuwsbrieven, #protocollen, #wondzorg-2024" in dry
    assert "Totals: 4 imported, 2 skipped (1 too large, 1 wrong type)" in dry

    with django_capture_on_commit_callbacks(execute=True):
        real = run(str(drive), "--into", "wondzorg", "--as", "bob")
    assert real.splitlines()[1:-1] == dry.splitlines()[1:-1]
    documents = {d.title: d for d in Document.objects.prefetch_related("tags")}
    assert set(documents) == {"Decubitus preventie", "Handhygiene", "Maart", "lijst"}
    decubitus = documents["Decubitus preventie"]
    assert decubitus.group == team.group and decubitus.uploaded_by == team.bob
    assert sorted(t.name for t in decubitus.tags.all()) == ["protocollen", "wondzorg-2024"]
    assert list(documents["lijst"].tags.all()) == []
    # The text of each was read by the task queued for it.
    assert "twee uur" in decubitus.current.text
    assert DocumentVersion.objects.filter(extraction="done").count() == 4


def test_a_second_run_skips_what_was_imported(team, drive, settings):
    settings.DOCUMENT_MAX_BYTES = 60_000
    run(str(drive), "--into", "organisation", "--as", "bob")
    (drive / "Nieuwsbrieven" / "April.docx").write_bytes(files.docx_bytes("april"))
    again = run(str(drive), "--into", "organisation", "--as", "bob")
    assert "skipped   Protocollen/Handhygiene.pdf: already imported" in again
    assert "imported  Nieuwsbrieven/April.docx" in again
    assert "Tags made: none" in again
    assert "Totals: 1 imported, 6 skipped (4 already imported, 1 too large, 1 wrong type)" in again
    assert Document.objects.filter(group=None).count() == 5


def test_only_a_member_imports_into_a_group_and_unknown_names_are_refused(team, drive):
    from tests.factories import PersonFactory

    PersonFactory(username="dave")
    with pytest.raises(CommandError, match="not a member"):
        run(str(drive), "--into", "wondzorg", "--as", "dave")
    with pytest.raises(CommandError, match="No group"):
        run(str(drive), "--into", "nergens", "--as", "bob")
    with pytest.raises(CommandError, match="No active person"):
        run(str(drive), "--into", "wondzorg", "--as", "niemand")
    assert not Document.objects.exists()


def test_a_zip_bomb_is_refused_as_such(team, tmp_path, settings):
    import zipfile

    settings.ARCHIVE_MAX_UNPACKED_BYTES = 1000
    root = tmp_path / "drive"
    root.mkdir()
    with zipfile.ZipFile(root / "bom.docx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "0" * 5000)
    report = run(str(root), "--into", "organisation", "--as", "bob")
    assert "skipped   bom.docx: refused: it would unpack to too much" in report
    assert not Document.objects.exists()
