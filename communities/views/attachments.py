"""Attached files, served only to people who may see their post."""

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from communities import queries
from communities.models import Attachment


def _visible_or_404(request: HttpRequest, attachment_id: int) -> Attachment:
    """A file of a post the viewer may not see is a 404, the same as no file at all."""
    try:
        return queries.visible_attachment(request.user, attachment_id)
    except Attachment.DoesNotExist:
        raise Http404("no such file") from None


def _serve(file, content_type: str, *, name: str, download: bool) -> FileResponse:
    response = FileResponse(
        file.open("rb"), content_type=content_type, as_attachment=download, filename=name
    )
    # Never let a file act as a page of this site, whatever it contains.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
def attachment(request: HttpRequest, attachment_id: int, name: str = "") -> FileResponse:
    found = _visible_or_404(request, attachment_id)
    download = found.kind == Attachment.Kind.DOCUMENT
    return _serve(found.file, found.content_type, name=found.name, download=download)


@require_GET
def attachment_thumbnail(request: HttpRequest, attachment_id: int) -> FileResponse:
    found = _visible_or_404(request, attachment_id)
    if not found.thumbnail:
        raise Http404("no thumbnail")
    return _serve(found.thumbnail, found.content_type, name=found.name, download=False)
