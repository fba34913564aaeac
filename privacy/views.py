"""Asking for one's data, and downloading it: for the person themselves alone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from privacy import actions, queries


def _settings_section() -> HttpResponse:
    return redirect(reverse("settings") + "#settings-data")


@require_POST
def export_request(request: HttpRequest) -> HttpResponse:
    try:
        actions.request_export(request.user)
    except ValidationError as refusal:
        messages.info(request, " ".join(refusal.messages))
    else:
        messages.success(
            request, _("Your data is being prepared. Kring tells you when it is ready.")
        )
    return _settings_section()


@require_GET
def export_download(request: HttpRequest, export_id: int) -> FileResponse:
    """The ZIP file, to its owner only; anyone else, and anyone after it expired,
    gets the same 404 as for a download that never was."""
    export = queries.downloadable_export(request.user, export_id)
    if export is None:
        raise Http404("no such download")
    day = timezone.localdate(export.ready_at).isoformat()
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"kring-{request.user.username}-{day}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
