"""A person's pages in Chromium (Playwright), for the browser tests."""

from tests.factories import PASSWORD


def open_page(browser, server, username, path, init_script=None):
    """``init_script``: run in every document of the page before its own scripts."""
    page = browser.new_context().new_page()
    if init_script:
        page.add_init_script(init_script)
    page.goto(f"{server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto(f"{server.url}{path}")
    return page


def open_group_page(browser, server, username, slug="wondzorg"):
    return open_page(browser, server, username, f"/groups/{slug}/")


def feed_state(page, state="live"):
    """Wait until the feed is live (socket open, catch-up done) or offline."""
    page.wait_for_selector(f"section.feed[data-state={state}]", state="attached", timeout=10_000)


def mark_page(page):
    """A marker that a reload would wipe: the post must arrive without one."""
    page.evaluate("window.notReloaded = true")


def logged_in(browser, server, username: str, path: str, language: str = "en"):
    """A fresh browser of ``username`` on ``path``, reading Kring in ``language`` (the
    cookie the language menu sets), its feed live if the page has one."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server.url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{server.url}/")
    context.add_cookies([{"name": "django_language", "value": language, "url": server.url}])
    page.goto(f"{server.url}{path}")
    if page.locator("section.feed").count():
        page.wait_for_selector("section.feed[data-state=live]", state="attached", timeout=10_000)
    return page
