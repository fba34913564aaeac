"""The dashboard's tables, worded for the reader: the page shows them and the CSV
files export them, from the same rows, so a file says exactly what the page says.

Figures come from ``insights.figures`` only; this module decides words, formats and
order of columns (in the reader's language, for the page and the file alike).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html import escape
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Group, Person
from insights import figures, queries
from insights.figures import Scope


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""
    #: How the page marks it (a CSS class): "up", "down", "flag", "muted"; never the only cue.
    mark: str = ""


@dataclass(frozen=True)
class Table:
    name: str  # its CSV file: /insights/export/<name>.csv
    caption: str
    header: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = ""  # said instead of an empty table

    def lines(self) -> list[list[str]]:
        """The header and the rows as the CSV file has them."""
        return [self.header, *([cell.text for cell in row] for row in self.rows)]

    def body_html(self) -> SafeString:
        """The table's rows as HTML (the first cell of each a row header), escaped: a
        table of 300 groups is 2,100 cells, too many to render as template nodes."""
        return mark_safe(  # noqa: S308 - every cell escaped by _cell_html
            "\n".join(f"<tr>{_row_html(row)}</tr>" for row in self.rows)
        )


def _cell_html(cell: Cell, tag: str) -> str:
    # Escaped as Django's escape does (the standard library's, without its lazy
    # wrapper: thousands of calls per page).
    mark = f' class="mark-{escape(cell.mark)}"' if cell.mark and tag == "td" else ""
    scope = ' scope="row"' if tag == "th" else ""
    text = escape(str(cell.text))
    if cell.url:
        text = f'<a href="{escape(cell.url)}">{text}</a>'
    return f"<{tag}{scope}{mark}>{text}</{tag}>"


def _row_html(row: list[Cell]) -> str:
    return "".join(_cell_html(cell, "th" if n == 0 else "td") for n, cell in enumerate(row))


# Words for numbers ----------------------------------------------------------------


def share(value: float | None) -> str:
    """A share as the page says it: "34 %"; "–" where there is none."""
    if value is None:
        return "–"
    return _("%(percent)s %%") % {"percent": round(value * 100)}


def decimal(value: float | None) -> str:
    return "–" if value is None else formats.number_format(value, 1, use_l10n=True)


def day(value: date | datetime | None) -> str:
    if value is None:
        return _("never")
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return formats.date_format(value, "j M Y")


def _day_of(value: datetime | None, known: dict[date, str]) -> str:
    if value is None:
        return day(None)
    local = timezone.localdate(value)
    if local not in known:
        known[local] = day(local)
    return known[local]


def duration(value: timedelta | None) -> str:
    """A delay as people say it: "45 minutes", "3 hours", "2 days"."""
    if value is None:
        return "–"
    minutes = max(1, round(value.total_seconds() / 60))
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours = round(minutes / 60)
    if hours < 48:
        return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
    days = round(hours / 24)
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


def change(now: float | None, before: float | None) -> Cell:
    """Up or down since the period before, in words and an arrow (not colour alone)."""
    if now is None or before is None:
        return Cell("–")
    points = round(now * 100) - round(before * 100)
    if points > 0:
        return Cell(_("↑ up %(n)s") % {"n": share(points / 100)}, mark="up")
    if points < 0:
        return Cell(_("↓ down %(n)s") % {"n": share(-points / 100)}, mark="down")
    return Cell(_("= the same"))


def count_change(now: int | float | None, before: int | float | None) -> Cell:
    if now is None or before is None:
        return Cell("–")
    if math.isclose(now, before):
        return Cell(_("= the same"))
    if now > before:
        return Cell(_("↑ up"), mark="up")
    return Cell(_("↓ down"), mark="down")


def number(value: int | None) -> Cell:
    return Cell("–" if value is None else str(value))


# The tables -----------------------------------------------------------------------


def funnel(coach: Person, scope: Scope, period: int, found=None) -> Table:
    found = found or figures.participation(scope, period)
    now, before = found.current, found.previous
    header = [
        _("Measure"),
        _("This period"),
        _("Share"),
        _("Period before"),
        _("Share before"),
        _("Change"),
    ]

    def counted(label: str, a: int | None, b: int | None, sa: float | None, sb: float | None):
        return [
            Cell(label),
            number(a),
            Cell(share(sa)),
            number(b),
            Cell(share(sb)),
            change(sa, sb) if sa is not None and sb is not None else Cell("–"),
        ]

    rows = [
        [
            Cell(_("People with an account")),
            number(now.accounts),
            Cell("–"),
            number(before.accounts),
            Cell("–"),
            count_change(now.accounts, before.accounts),
        ],
        counted(
            _("Active (opened Kring)"),
            now.active,
            before.active,
            now.active_share,
            before.active_share,
        ),
        counted(
            _("Reacting"), now.reacting, before.reacting, now.reacting_share, before.reacting_share
        ),
        counted(
            _("Contributing (posted or replied)"),
            now.contributing,
            before.contributing,
            now.contributing_share,
            before.contributing_share,
        ),
        counted(_("With a profile photo"), now.with_photo, None, now.photo_share, None),
        counted(_("With a complete profile"), now.complete_profile, None, now.complete_share, None),
        [
            Cell(_("Reactions per person")),
            Cell(decimal(now.reactions_per_person)),
            Cell("–"),
            Cell(decimal(before.reactions_per_person)),
            Cell("–"),
            count_change(now.reactions_per_person, before.reactions_per_person),
        ],
        [
            Cell(_("Replies per person")),
            Cell(decimal(now.replies_per_person)),
            Cell("–"),
            Cell(decimal(before.replies_per_person)),
            Cell("–"),
            count_change(now.replies_per_person, before.replies_per_person),
        ],
    ]
    return Table("funnel", _("Participation"), header, rows)


def weeks(coach: Person, scope: Scope, period: int, found=None) -> Table:
    found = figures.weekly(scope) if found is None else found
    rows = [[Cell(day(week.start)), number(week.active), number(week.posts)] for week in found]
    header = [_("Week of"), _("Active people"), _("Posts")]
    return Table("weeks", _("Active people and posts per week"), header, rows)


def groups(coach: Person, scope: Scope, period: int) -> Table:
    header = [
        _("Group"),
        _("Members"),
        _("Posts in the period"),
        _("Last post"),
        _("Quiet"),
        _("Median time to first reply"),
        _("Posts with no reply after 48 hours"),
    ]
    rows = []
    fewer = ngettext(
        "fewer than %(n)d member", "fewer than %(n)d members", figures.min_people()
    ) % {"n": figures.min_people()}
    is_quiet, not_quiet = Cell(_("quiet: no post in 30 days"), mark="flag"), Cell(_("no"))
    days: dict[date, str] = {}  # many groups' last posts share a day
    for row in figures.groups(coach, scope, period):
        name = Cell(row.group.name, row.group.get_absolute_url())
        quiet = is_quiet if row.quiet else not_quiet
        if row.too_small:
            rows.append(
                [
                    name,
                    number(row.members),
                    Cell(fewer, mark="muted"),
                    Cell("–"),
                    quiet,
                    Cell("–"),
                    Cell("–"),
                ]
            )
            continue
        rows.append(
            [
                name,
                number(row.members),
                number(row.posts),
                Cell(_day_of(row.last_post_at, days)),
                quiet,
                Cell(duration(row.median_first_reply)),
                number(row.unanswered),
            ]
        )
    return Table("groups", _("Groups"), header, rows, empty=_("No groups to show."))


def _post_title(post) -> str:
    return post.title or Truncator(post.body).chars(60)


def news(coach: Person, scope: Scope, period: int) -> Table:
    header = [_("Article or announcement"), _("Group"), _("Readers"), _("Audience"), _("Reach")]
    rows = [
        [
            Cell(_post_title(row.post), reverse("post", args=[row.post.pk])),
            Cell(row.post.group.name),
            number(row.readers),
            number(row.audience),
            Cell(share(row.reach)),
        ]
        for row in figures.news(coach, scope, period)
    ]
    return Table(
        "news",
        _("Most read news"),
        header,
        rows,
        empty=_("No articles or announcements in this period."),
    )


def _page_use(coach: Person, period: int) -> figures.PageUseFigures:
    return figures.page_use(coach, period)


def menu(coach: Person, scope: Scope, period: int, use=None) -> Table:
    use = use or _page_use(coach, period)
    rows = [
        [
            Cell(row.label, row.url),
            number(row.views),
            Cell(_("nobody opened it"), mark="flag") if not row.views else Cell(""),
        ]
        for row in use.menu
    ]
    return Table("menu", _("Menu items"), [_("Menu item"), _("Openings"), _("Note")], rows)


def pages(coach: Person, scope: Scope, period: int, use=None) -> Table:
    use = use or _page_use(coach, period)
    rows = [[Cell(row.label, row.url), number(row.views)] for row in use.pages]
    return Table(
        "pages",
        _("Most opened knowledge pages"),
        [_("Knowledge page"), _("Openings")],
        rows,
        empty=_("No knowledge page was opened in this period."),
    )


def places(coach: Person, scope: Scope, period: int, use=None) -> Table:
    use = use or _page_use(coach, period)
    rows = [[Cell(row.label), number(row.views)] for row in use.places]
    return Table(
        "places",
        _("All kinds of pages"),
        [_("Kind of page"), _("Openings")],
        rows,
        empty=_("Nothing was opened in this period."),
    )


def unopened(coach: Person, scope: Scope, period: int, use=None) -> Table:
    use = use or _page_use(coach, period)
    rows = [
        [Cell(page.title, page.get_absolute_url()), Cell(day(page.changed_at))]
        for page in use.unopened_pages
    ]
    caption = ngettext(
        "%(n)d knowledge page nobody opened",
        "%(n)d knowledge pages nobody opened",
        use.unopened_pages_count,
    ) % {"n": use.unopened_pages_count}
    return Table(
        "unopened",
        caption,
        [_("Knowledge page"), _("Last changed")],
        rows,
        empty=_("Every knowledge page was opened in this period."),
    )


def _terms(name: str, caption: str, found: list[figures.TermRow], empty: str) -> Table:
    header = [_("Term"), _("Searches"), _("Different searchers"), _("Last searched")]
    rows = [
        [Cell(row.term), number(row.searches), number(row.searchers), Cell(day(row.last))]
        for row in found
    ]
    return Table(name, caption, header, rows, empty=empty)


def found_nothing(coach: Person, scope: Scope, period: int, gaps=None) -> Table:
    gaps = gaps or figures.search_gaps(period)
    return _terms(
        "found-nothing",
        _("Searches that found nothing"),
        gaps.found_nothing,
        _("Every search found something."),
    )


def nobody_opened(coach: Person, scope: Scope, period: int, gaps=None) -> Table:
    gaps = gaps or figures.search_gaps(period)
    return _terms(
        "nobody-opened",
        _("Searches whose results nobody opened"),
        gaps.nobody_opened,
        _("Every search that found something had a result opened."),
    )


def to_write(coach: Person, scope: Scope, period: int, gaps=None) -> Table:
    gaps = gaps or figures.search_gaps(period)
    header = [_("Page to write"), _("Searches"), _("Different searchers"), _("Since"), _("Status")]
    rows = []
    for gap in gaps.gaps:
        what = _("Write a page for “%(term)s”") % {"term": gap.term}
        if gap.closed_at is None:
            link = reverse("page_create") + "?" + urlencode({"title": gap.term})
            status = Cell(_("to do"))
        else:
            link = ""
            status = Cell(_("done: searches find a page now"), mark="up")
        rows.append(
            [
                Cell(what, link),
                number(gap.searches),
                number(gap.searchers),
                Cell(day(gap.opened_at)),
                status,
            ]
        )
    return Table("to-write", _("Pages to write"), header, rows, empty=_("No pages to write."))


def past_review(coach: Person, scope: Scope, period: int) -> Table:
    header = [_("Knowledge page"), _("Owner"), _("Review date")]
    rows = []
    for page in queries.pages_past_review(coach):
        owner = page.owner
        if isinstance(owner, Group):
            owner_cell = Cell(owner.name, owner.get_absolute_url())
        elif owner is not None:
            owner_cell = Cell(str(owner), owner.get_absolute_url())
        else:
            owner_cell = Cell(_("nobody"), mark="flag")
        rows.append(
            [Cell(page.title, page.get_absolute_url()), owner_cell, Cell(day(page.review_by))]
        )
    return Table(
        "past-review",
        _("Pages past their review date"),
        header,
        rows,
        empty=_("No page is past its review date."),
    )


Builder = Callable[[Person, Scope, int], Table]

#: Tables about the chosen scope's people: hidden when the scope is too small.
SCOPED: dict[str, Builder] = {"funnel": funnel, "weeks": weeks, "groups": groups, "news": news}
#: Tables about the whole organisation's use (pages, searches): no people in them.
WHOLE: dict[str, Builder] = {
    "menu": menu,
    "pages": pages,
    "places": places,
    "unopened": unopened,
    "found-nothing": found_nothing,
    "nobody-opened": nobody_opened,
    "to-write": to_write,
    "past-review": past_review,
}
TABLES: dict[str, Builder] = {**SCOPED, **WHOLE}


# Charts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    label: str  # the week as the table says it
    short: str  # the week under its bar


@dataclass(frozen=True)
class Chart:
    caption: str
    bars: list[Bar]
    top: int  # the value the chart's height stands for
    width: int = 600
    height: int = 160


def chart(
    caption: str, values: list[tuple[str, str, int]], *, width: int = 600, height: int = 160
) -> Chart:
    """Bars drawn by the server as SVG: no library, nothing fetched."""
    top = max([value for _label, _short, value in values] + [1])
    slot = width / max(len(values), 1)
    bars = []
    for n, (label, short, value) in enumerate(values):
        tall = height * value / top
        bars.append(
            Bar(n * slot + slot * 0.15, height - tall, slot * 0.7, tall, value, label, short)
        )
    return Chart(caption, bars, top, width, height)


def week_charts(found: list[figures.Week]) -> tuple[Chart, Chart]:
    labels = [(day(week.start), formats.date_format(week.start, "j M")) for week in found]
    active = [(*label, week.active) for label, week in zip(labels, found, strict=True)]
    posts = [(*label, week.posts) for label, week in zip(labels, found, strict=True)]
    return chart(_("Active people per week"), active), chart(_("Posts per week"), posts)


# A group's own figures, for its managers ----------------------------------------------


def group_summary(group: Group, period: int) -> Table:
    """Members, active members, posts, unanswered posts and time to first reply of one
    group, this period and the one before (call only when the group is not too small)."""
    scope = Scope(Scope.GROUP, str(group.pk), group.name)
    found = figures.participation(scope, period)
    now = timezone.now()
    counted = figures.group_figures([group.pk], found.window, now=now).get(
        group.pk, figures.GroupPeriod()
    )
    before = figures.group_figures([group.pk], found.previous_window, now=now).get(
        group.pk, figures.GroupPeriod()
    )
    rows = [
        [Cell(_("Members")), number(found.current.accounts), number(found.previous.accounts)],
        [Cell(_("Active members")), number(found.current.active), number(found.previous.active)],
        [Cell(_("Posts")), number(counted.posts), number(before.posts)],
        [Cell(_("Replies")), number(counted.replies), number(before.replies)],
        [
            Cell(_("Posts with no reply after 48 hours")),
            number(counted.unanswered),
            number(before.unanswered),
        ],
        [
            Cell(_("Median time to first reply")),
            Cell(duration(counted.median_first_reply)),
            Cell(duration(before.median_first_reply)),
        ],
    ]
    header = [_("Measure"), _("This period"), _("Period before")]
    return Table("group", _("The group's figures"), header, rows)
