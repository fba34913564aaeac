"""In Chromium: a file too large is refused before anything is sent, and a body the
server refuses unread (413) leaves the compose form and its text as they were."""

import pytest
from playwright.sync_api import expect

from tests.live import DaphneProcess, server_environment
from tests.pages import logged_in

pytestmark = pytest.mark.browser

MB = 1024 * 1024


@pytest.fixture
def server(transactional_db, server_logs):
    """Files up to 1 MB, bodies up to 2 MB."""
    env = {**server_environment(), "ATTACHMENT_MAX_MB": "1", "UPLOAD_BODY_MAX_MB": "2"}
    process = DaphneProcess("limits", server_logs, env).start()
    yield process
    process.stop()


def test_a_file_too_large_is_refused_before_sending_and_the_text_stays(
    browser, server, team_committed
):
    page = logged_in(browser, server, "alice", "/groups/wondzorg/")
    posts = []
    page.on("request", lambda r: posts.append(r) if r.method == "POST" else None)
    compose = page.locator("form[data-compose]")
    refusal = compose.locator("[data-refusal]")
    text = compose.locator("textarea[name=body]")
    files = compose.locator("input[type=file]")

    text.fill("Mijn zorgvuldige tekst")
    files.set_input_files(
        {"name": "groot.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (3 * MB // 2)}
    )
    expect(refusal).to_have_attribute("aria-live", "assertive")
    expect(refusal).to_contain_text("groot.jpg is too large: a file may be at most 1.0")
    expect(files).to_have_attribute("aria-invalid", "true")
    compose.get_by_role("button", name="Post").click()
    expect(files).to_be_focused()
    assert posts == []
    expect(text).to_have_value("Mijn zorgvuldige tekst")

    # Past the browser's check (a page without script, or a bypass): the server
    # refuses the body unread, and the message takes the same place.
    page.evaluate(
        "input => { input.dataset.maxBytes = input.dataset.maxTotal = 1e9; }",
        files.element_handle(),
    )
    files.set_input_files(
        {"name": "groot.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (3 * MB)}
    )
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        compose.get_by_role("button", name="Post").click()
    assert answer.value.status == 413
    expect(refusal).to_contain_text("Nothing was sent: choose smaller or fewer files.")
    expect(text).to_have_value("Mijn zorgvuldige tekst")
    expect(page.locator(".feed article")).to_have_count(0)

    # The profile photo is checked the same way.
    page.goto(f"{server.url}/settings/profile/")
    page.get_by_label("Job title").fill("Wondverpleegkundige")
    page.get_by_label("New photo").set_input_files(
        {"name": "ik.jpg", "mimeType": "image/jpeg", "buffer": b"\xff" * (3 * MB // 2)}
    )
    expect(page.locator("[data-refusal]")).to_contain_text("ik.jpg is too large")
    posts.clear()
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_label("New photo")).to_be_focused()
    assert posts == [] and page.url.endswith("/settings/profile/")
    expect(page.get_by_label("Job title")).to_have_value("Wondverpleegkundige")
