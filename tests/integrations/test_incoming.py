"""Incoming webhooks: a signed delivery becomes the integration's post in its group;
anything else is refused with a reason and writes nothing."""

from __future__ import annotations

import json
import time

import pytest
from django.core.cache import cache

from communities.models import Group, Membership, Post
from integrations import signing
from tests.integrations.helpers import deliver_to_hook, make_hook


@pytest.fixture
def hook(team):
    return make_hook(team.group)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def test_a_signed_delivery_posts_in_the_group_as_the_integration(
    hook, team, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = deliver_to_hook(hook, {"text": "Storing **e-mail** verholpen"})
    assert response.status_code == 201
    post = Post.objects.get()
    assert response.json() == {"id": post.pk, "url": f"http://127.0.0.1:8000/posts/{post.pk}/"}
    assert post.author == hook.integration.account
    assert post.group == team.group
    page = client_for(team.bob).get(f"/groups/{team.group.slug}/").content.decode()
    assert "<strong>e-mail</strong>" in page
    assert "Servicedesk" in page


def test_binding_a_hook_makes_its_integration_a_member_of_a_secret_group(team):
    secret = Group.objects.create(name="Geheim", slug="geheim", privacy=Group.Privacy.SECRET)
    hook = make_hook(secret)
    assert Membership.objects.filter(group=secret, person=hook.integration.account).exists()
    assert deliver_to_hook(hook, {"text": "In het geheim"}).status_code == 201


def test_the_same_idempotency_key_posts_once(hook):
    now = int(time.time())
    first = deliver_to_hook(hook, {"text": "Eén keer", "idempotency_key": "abc"}, timestamp=now)
    # The sender's retry, signed a second later: another signature, the same key.
    body = {"text": "Eén keer", "idempotency_key": "abc"}
    second = deliver_to_hook(hook, body, timestamp=now + 1)
    assert first.status_code == 201
    assert second.json()["id"] == first.json()["id"]
    assert Post.objects.count() == 1


def refused(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert Post.objects.count() == 0
    return response.json()


def test_a_wrong_signature_is_refused(hook):
    answer = refused(deliver_to_hook(hook, {"text": "Nep"}, secret="not-the-secret"), 401)
    assert answer == {"error": "bad signature", "reason": "mismatch"}


def test_a_missing_signature_is_refused(hook, client):
    response = client.post(
        f"/hooks/in/{hook.token}/", {"text": "Zonder"}, content_type="application/json"
    )
    assert refused(response, 401)["reason"] == "missing"


def test_a_delivery_signed_more_than_five_minutes_ago_is_refused(hook):
    old = int(time.time()) - signing.TOLERANCE_SECONDS - 5
    answer = refused(deliver_to_hook(hook, {"text": "Oud"}, timestamp=old), 401)
    assert answer["reason"] == "too old"


def test_the_same_signed_delivery_twice_posts_once(hook):
    raw = json.dumps({"text": "Twee keer verstuurd"}).encode()
    signature = signing.sign(hook.secret, raw)
    assert deliver_to_hook(hook, raw, signature=signature).status_code == 201
    again = deliver_to_hook(hook, raw, signature=signature)
    assert again.status_code == 409
    assert again.json() == {"error": "already delivered"}
    assert Post.objects.count() == 1


def test_an_oversized_body_is_refused(hook, settings):
    settings.WEBHOOK_MAX_BYTES = 1024
    answer = refused(deliver_to_hook(hook, {"text": "x" * 2000}), 413)
    assert answer["limit"] == 1024


@pytest.mark.parametrize(
    "raw", [b"not json", b'["a list"]', b'{"title": "no text"}', b'{"text": "   "}']
)
def test_a_body_without_text_is_refused(hook, raw):
    answer = refused(deliver_to_hook(hook, raw), 400)
    assert answer["error"] == "bad request"


def test_a_text_longer_than_a_post_may_be_is_refused(hook, settings):
    raw = json.dumps({"text": "y" * (settings.POST_MAX_LENGTH + 1)}).encode()
    answer = refused(deliver_to_hook(hook, raw), 400)
    assert "text" in answer["details"]


def test_an_unknown_address_is_not_found(hook, client):
    hook.token = "unknown"
    assert refused(deliver_to_hook(hook, {"text": "Waar?"}), 404) == {"error": "no such webhook"}


def test_an_inactive_hook_is_not_found(hook):
    hook.active = False
    hook.save()
    refused(deliver_to_hook(hook, {"text": "Uit"}), 404)


def test_a_deactivated_integration_account_posts_nothing(hook):
    account = hook.integration.account
    account.is_active = False
    account.save()
    refused(deliver_to_hook(hook, {"text": "Gestopt"}), 404)


def test_a_hook_counts_its_deliveries_against_a_rate_limit(hook, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "webhook": "2/m"}
    for number in range(2):
        assert deliver_to_hook(hook, {"text": f"Bericht {number}"}).status_code == 201
    response = deliver_to_hook(hook, {"text": "Te veel"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert Post.objects.count() == 2


def test_only_post_is_answered(hook, client):
    assert client.get(f"/hooks/in/{hook.token}/").status_code == 405
