"""The dashboard writes its biggest parts (the tables' rows, the scope picker's
hundreds of options) in Python instead of template nodes: the same HTML, escaped."""

from __future__ import annotations

import pytest
from django import forms

from insights.forms import ManyOptionsSelect
from insights.tables import Cell, Table

CHOICES = [
    ("organisation", "The organisation"),
    ("Departments", [("department:A&B", "A&B <script>"), ("department:C", "C")]),
    ('Groups "x"', [("group:1", 'Team "1" <b>')]),
]


def normalised(html: str) -> str:
    return " ".join(html.replace("\n", " ").split()).replace("> <", "><")


@pytest.mark.parametrize("value", ["organisation", "department:A&B", "group:1", "gone"])
def test_the_scope_picker_writes_what_djangos_select_writes(value):
    attrs = {"id": "id_scope", "class": "picker"}

    ours = ManyOptionsSelect(choices=CHOICES, attrs=attrs).render("scope", value)
    djangos = forms.Select(choices=CHOICES, attrs=attrs).render("scope", value)

    assert normalised(ours) == normalised(djangos)
    assert "<script>" not in ours
    assert ours.count(" selected") == (0 if value == "gone" else 1)


def test_a_tables_rows_are_escaped_with_the_first_cell_a_row_header():
    table = Table(
        name="groups",
        caption="Groups",
        header=["Group", "Posts"],
        rows=[
            [Cell("<i>Team</i> & co", url="/groups/team/?a=1&b=2"), Cell("12", mark="up")],
            [Cell('"Quiet"'), Cell("0", mark="flag")],
        ],
    )

    html = table.body_html()

    assert html == (
        '<tr><th scope="row"><a href="/groups/team/?a=1&amp;b=2">&lt;i&gt;Team&lt;/i&gt; '
        '&amp; co</a></th><td class="mark-up">12</td></tr>\n'
        '<tr><th scope="row">&quot;Quiet&quot;</th><td class="mark-flag">0</td></tr>'
    )
