"""A person in Debian's Chromium (Playwright): logged in, reading in a language."""

from tests.factories import PASSWORD


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
