from knowledge import actions


def make_page(author, *, title="Wondzorg protocol", body="Spoel de wond met #wondzorg", **kw):
    return actions.create_page(author, title=title, body=body, **kw)


def edit(editor, page, body, *, base=None, title=None, **kw):
    page.refresh_from_db()
    return actions.edit_page(
        editor,
        page,
        base=page.version if base is None else base,
        title=title or page.title,
        body=body,
        parent=kw.pop("parent", page.parent),
        **kw,
    )


def main_of(response) -> str:
    """The main content of a response, the per-response tokens taken out: what an
    outsider compares with the page for something that does not exist."""
    import re

    html = response.content.decode()
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
