"""The text inside a document, for search: PDF (pypdf), Word (python-docx), Excel
(openpyxl, read only), PowerPoint (python-pptx), OpenDocument (odfpy) and plain text.

Run by the Celery task (``documents.tasks.extract_text``), never in a request.
Bounded: reading stops once ``limit`` characters are kept. A file that cannot be
read (broken, encrypted) raises ``Unreadable``. The files were checked when they
came in (``communities.uploads``: recognised by content, zip bombs refused).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from documents.models import FileKind, kind_of


class Unreadable(Exception):
    """The file's text cannot be read."""


class _Full(Exception):
    """Enough text is kept."""


class _Collector:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[str] = []
        self.length = 0

    def add(self, text: str | None) -> None:
        text = (text or "").strip()
        if not text:
            return
        room = self.limit - self.length
        self.parts.append(text[:room])
        self.length += min(len(text), room) + 1
        if self.length >= self.limit:
            raise _Full

    def add_all(self, texts: Iterable[str | None]) -> None:
        for text in texts:
            self.add(text)

    def text(self) -> str:
        return "\n".join(self.parts)[: self.limit]


def _pdf(content: bytes, out: _Collector) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    if reader.is_encrypted:
        raise Unreadable("the PDF is encrypted")
    for page in reader.pages:
        out.add(page.extract_text())


def _word(content: bytes, out: _Collector) -> None:
    import docx

    document = docx.Document(io.BytesIO(content))
    out.add_all(p.text for p in document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            out.add(" ".join(cell.text for cell in row.cells))


def _excel(content: bytes, out: _Collector) -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        for sheet in workbook.worksheets:
            out.add(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                out.add(" ".join(str(value) for value in row if value is not None))
    finally:
        workbook.close()


def _powerpoint(content: bytes, out: _Collector) -> None:
    import pptx

    presentation = pptx.Presentation(io.BytesIO(content))
    for slide in presentation.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                out.add(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                for row in shape.table.rows:
                    out.add(" ".join(cell.text for cell in row.cells))
        if slide.has_notes_slide:
            out.add(slide.notes_slide.notes_text_frame.text)


def _opendocument(content: bytes, out: _Collector) -> None:
    from odf import teletype
    from odf import text as odf_text
    from odf.opendocument import load

    document = load(io.BytesIO(content))
    for element in document.getElementsByType(odf_text.H) + document.getElementsByType(odf_text.P):
        out.add(teletype.extractText(element))


def _plain(content: bytes, out: _Collector) -> None:
    out.add(content.decode("utf-8", "replace"))


READERS: dict[FileKind, Callable[[bytes, _Collector], None]] = {
    FileKind.PDF: _pdf,
    FileKind.WORD: _word,
    FileKind.EXCEL: _excel,
    FileKind.POWERPOINT: _powerpoint,
    FileKind.OPENDOCUMENT: _opendocument,
}


def readable(content_type: str) -> bool:
    """Whether there is text to read in a file of this type (not in a picture)."""
    return kind_of(content_type) in READERS or content_type.startswith("text/")


def extract(content_type: str, content: bytes, limit: int) -> str:
    """The text of the file, at most ``limit`` characters; raises Unreadable."""
    reader = READERS.get(kind_of(content_type))
    if reader is None:
        if not content_type.startswith("text/"):
            return ""
        reader = _plain
    out = _Collector(limit)
    try:
        reader(content, out)
    except _Full:
        pass
    except Unreadable:
        raise
    except Exception as error:  # a broken file fails in any of a library's ways
        raise Unreadable(f"{type(error).__name__}: {error}") from error
    return out.text()
