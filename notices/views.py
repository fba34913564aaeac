"""The bell, the notifications page, preferences, and unsubscribing from emails."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from communities.models import Person
from communities.views.feeds import int_param
from notices import actions, emails, fragments, queries, registry
from notices.forms import NotificationPreferencesForm
from notices.models import Delivery, DigestFrequency


@vary_on_headers("HX-Request")
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Every notification, newest first, paged by cursor; ``?before=`` over htmx gives the next."""
    before = int_param(request, "before")
    found, has_more = queries.page(request.user, before=before)
    context = {"notices": found, "has_more": has_more, "next_before": found[-1].id if found else 0}
    if request.htmx and before is not None:
        return render(request, "notices/fragments/page.html", context)
    return render(request, "notices/list.html", context)


@require_GET
def notice_menu(request: HttpRequest) -> HttpResponse:
    """What the bell opens: the latest few, and the way to the rest."""
    return render(request, "notices/fragments/menu.html", {"notices": queries.latest(request.user)})


@require_GET
def notice_count(request: HttpRequest) -> HttpResponse:
    """The bell's count, fetched whenever a socket (re)connects: nothing missed while away."""
    return HttpResponse(fragments.notice_count_message(request.user))


@require_GET
def notice_open(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Follow a notification: it is read now. Something no longer visible is a 404."""
    url = actions.open_notice(request.user, notice_id)
    if url is None:
        raise Http404("no such notification")
    return redirect(url)


@require_POST
def notice_read(request: HttpRequest, notice_id: int) -> HttpResponse:
    actions.mark_read(request.user, notice_id)
    return _after_reading(request)


@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    actions.mark_all_read(request.user)
    return _after_reading(request)


def _after_reading(request: HttpRequest) -> HttpResponse:
    if not request.htmx:
        return redirect(request.POST.get("next") or "notices")
    # The list the button was in, again, and the bell's count.
    if request.POST.get("in") == "menu":
        response = notice_menu(request)
    else:
        found, has_more = queries.page(request.user)
        response = render(
            request,
            "notices/fragments/page.html",
            {"notices": found, "has_more": has_more, "next_before": found[-1].id if found else 0},
        )
    response.write(fragments.notice_count_message(request.user))
    return response


def notice_settings(request: HttpRequest) -> HttpResponse:
    prefs = queries.preferences(request.user)
    form = NotificationPreferencesForm(
        request.POST or None,
        instance=prefs,
        initial={} if prefs.language else {"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        actions.save_notification_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notice_settings")
    return render(request, "notices/settings.html", {"form": form})


@login_not_required
@csrf_exempt  # RFC 8058: a mail client posts here without a session; the token is the proof
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every email. Opening it changes nothing (mail scanners open links);
    a one-click POST from the mail client, or a choice on the page, does."""
    try:
        person_id, scope = emails.read_unsubscribe_token(token)
    except ValueError:
        return HttpResponseBadRequest(_("This unsubscribe link is not valid."))
    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        raise Http404("no such person")
    prefs = queries.preferences(person)
    if request.method == "POST":
        if request.POST.get("List-Unsubscribe") == "One-Click":
            choice = emails.ONE_CLICK_CHOICE[scope if scope == actions.DIGEST else "kind"]
        else:
            choice = request.POST.get("choice", "")
        try:
            actions.unsubscribe(person, scope, choice)
        except ValidationError as refusal:
            return HttpResponseBadRequest(" ".join(refusal.messages))
        prefs = queries.preferences(person)
        done = True
    else:
        done = False
    return render(
        request,
        "notices/unsubscribe.html",
        {
            "person": person,
            "scope": scope,
            "prefs": prefs,
            "done": done,
            "is_digest": scope == actions.DIGEST,
            "what": _("Digest") if scope == actions.DIGEST else registry.preference(scope).label,
            "current": DigestFrequency(prefs.digest_frequency).label
            if scope == actions.DIGEST
            else Delivery(prefs.delivery(scope)).label,
            "choices": emails.unsubscribe_choices(scope, prefs),
        },
    )
