from __future__ import annotations

from documents import actions
from tests.documents import files


def checked(name: str, content: bytes) -> actions.CheckedFile:
    return actions.check_file(files.upload(name, content))


def add(person, title="Protocol wondzorg", group=None, text="wondzorg", name="protocol.docx", **kw):
    return actions.add_document(
        person, title=title, group=group, file=checked(name, files.docx_bytes(text)), **kw
    )
