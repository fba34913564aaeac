"""The demo organisation `make run` loads (manage.py load_demo)."""

import io
import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from communities.models import Group, Person, Post, Reply
from demo.management.commands.load_demo import ADMIN_PASSWORD, ADMIN_USERNAME, DEMO_PASSWORD
from notices import queries as notice_queries
from people.models import Profile


@pytest.mark.django_db(transaction=True)
def test_the_demo_organisation_loads_once(client):
    out = io.StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    counts = (Person.objects.count(), Group.objects.count(), Post.objects.count())
    assert counts[0] >= 30 and counts[1] >= 6 and counts[2] >= 200
    assert Group.objects.filter(name__icontains="kenniskring").exists()
    assert Group.objects.filter(name__icontains="recepten").exists()
    call_command("load_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert (Person.objects.count(), Group.objects.count(), Post.objects.count()) == counts
    assert client.login(username="anouk", password=DEMO_PASSWORD)
    assert "Receptenkring" in client.get("/groups/").content.decode()
    assert "Vertrouwenspersonen" in client.get("/groups/").content.decode()
    client.login(username="bram", password=DEMO_PASSWORD)
    assert "Vertrouwenspersonen" not in client.get("/groups/").content.decode()

    # An administrator, whose login the command prints (make run shows it).
    admin = Person.objects.get(username=ADMIN_USERNAME)
    assert admin.is_staff and admin.is_superuser and admin.check_password(ADMIN_PASSWORD)
    printed = out.getvalue()
    assert f"'{ADMIN_USERNAME}'" in printed and ADMIN_PASSWORD in printed
    assert "'anouk'" in printed and DEMO_PASSWORD in printed

    # A newcomer is greeted by a handful of unread notifications, not weeks of
    # them, the newest first, stamped when they happened.
    anouk = Person.objects.get(username="anouk")
    assert 3 <= notice_queries.unread_count(anouk) <= 6
    latest = notice_queries.latest(anouk)
    assert [n.at for n in latest] == sorted((n.at for n in latest), reverse=True)
    assert latest[0].unread and not latest[-1].unread
    moments = [n.at for n in notice_queries.page(anouk)[0]]
    assert max(moments) - min(moments) > timedelta(days=1)
    assert max(moments) < timezone.now() - timedelta(minutes=5)
    replies = Reply.objects.values_list("created_at", flat=True)
    assert max(replies) - min(replies) > timedelta(days=14)

    # Profiles with expertise and bios; photos made here, valid square images.
    with_photo = Person.objects.exclude(photo="")
    assert with_photo.count() >= 15
    assert Person.objects.filter(photo="", is_superuser=False).exists()  # initials too
    for person in with_photo[:3]:
        for file, side in ((person.photo, 512), (person.photo_thumbnail, 128)):
            with file.open("rb") as stored, Image.open(stored) as image:
                image.verify()
                assert image.format == "JPEG" and image.size == (side, side)
    profile = Profile.objects.get(person=anouk)
    assert profile.phone and profile.bio and profile.expertise.exists()
    client.login(username="anouk", password=DEMO_PASSWORD)
    page = client.get("/people/?expertise=wondzorg").content.decode()
    assert "Anouk de Vries" in page and "Emma Meijer" in page
    photo = client.get(with_photo.first().photo_url())
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"

    # The organisation in its own style: its name on every page, its accent, its logo.
    home = client.get("/").content.decode()
    assert "<title>Home · Zorggroep De Linde</title>" in home
    assert 'alt=""' in home
    assert "--brand: #7b3b6e" in client.get("/organisation/style.css").content.decode()
    logo = client.get("/organisation/logo.png")
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


@pytest.mark.django_db(transaction=True)
def test_the_demo_shares_knowledge_documents_and_events(client):
    """Protocols, regulations and a newsletter as pages with histories (one past its
    review date, still online), a library with #tags whose files' text is found, and
    upcoming events, one full with a waiting list."""
    from agenda.models import Attendance, Event
    from documents.models import Document
    from knowledge.models import Page

    call_command("load_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    titles = set(Page.objects.values_list("title", flat=True))
    assert {"Protocol medicatieoverdracht", "Regeling thuiswerken", "Nieuwsbrief december"} <= set(
        titles
    )
    assert Page.objects.filter(version__gte=3).exists()
    overdue = Page.objects.get(title="Regeling thuiswerken")
    assert overdue.review_by < timezone.localdate()
    assert client.login(username="bram", password=DEMO_PASSWORD)
    assert client.get(overdue.get_absolute_url()).status_code == 200
    # The service desk's major incident, being worked on, on the home page.
    home = client.get("/").content.decode()
    assert "Het elektronisch cliëntdossier is traag op alle locaties" in home

    assert Document.objects.count() >= 5
    assert Document.objects.filter(tags__name="regeling").exists()
    found = client.get("/search/", {"q": "alginaat"}).content.decode()
    assert "Handboek verbandmiddelen 2026" in found  # a word only inside the file

    upcoming = Event.objects.filter(start__gt=timezone.now())
    assert upcoming.count() >= 3
    full = upcoming.get(title="Scholing nieuwe verbandmiddelen")
    going = Attendance.objects.filter(event=full, status=Attendance.Status.GOING).count()
    assert going == full.capacity
    assert Attendance.objects.filter(event=full, status=Attendance.Status.WAITING).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_demo_gives_the_coach_something_to_see(client):
    """Searches that found nothing (one so often it is a page to write), page views (a
    menu item and a knowledge page nobody opened), twelve weeks of people opening
    Kring, a nudge sent 20 days ago with its holdout and who did what it asked, a page
    past its review date, and a coach to see it all."""
    from insights import figures
    from insights.models import DayRollup, Nudge
    from knowledge.models import Page
    from search.queries import Filters, search

    call_command("load_demo", "--if-empty", stdout=open(os.devnull, "w"))  # noqa: SIM115
    coach = Person.objects.get(username="lotte")
    assert coach.is_coach
    # The news has readers, so its reach is a share, not nothing.
    read = figures.news(coach, figures.ORGANISATION, 365)
    assert read and all(0 < row.readers <= row.audience for row in read), read
    assert client.login(username="lotte", password=DEMO_PASSWORD)

    # Terms that found nothing, and really find nothing; one searched often enough
    # by enough people to be a page to write; one that finds posts nobody opens.
    searched = figures.search_gaps(28)
    nothing = {row.term: row for row in searched.found_nothing}
    assert {"loonstrook", "bedrijfsarts", "ziekmelden"} <= set(nothing)
    for term in nothing:
        assert search(coach, term, Filters()).total == 0, term
    assert nothing["loonstrook"].searches >= 20 and nothing["loonstrook"].searchers >= 5
    assert [gap.term for gap in searched.gaps if gap.closed_at is None] == ["loonstrook"]
    assert "rooster" in {row.term for row in searched.nobody_opened}
    assert "wondzorg" not in {row.term for row in searched.nobody_opened}

    # Page views: the menu's items opened, but the new agenda by nobody; the
    # knowledge pages opened, but one.
    use = figures.page_use(coach, 28)
    menu = {row.url: row.views for row in use.menu}
    assert menu["/"] > 100 and menu["/groups/"] > 0 and menu["/agenda/"] == 0
    assert [page.title for page in use.unopened_pages] == ["Tweestapsverificatie instellen"]
    assert len(use.pages) >= 3 and all(row.views for row in use.pages)

    # Twelve weeks of people opening Kring, rolled up, with a shape; whoever posted
    # opened Kring too.
    weeks = figures.weekly(figures.ORGANISATION)
    assert len(weeks) == 12 and all(week.active > 0 for week in weeks)
    assert len({week.active for week in weeks}) > 3
    assert DayRollup.objects.filter(day=timezone.localdate() - timedelta(1)).exists()
    funnel = figures.participation(figures.ORGANISATION, 28).current
    assert 0 < funnel.contributing <= funnel.active < funnel.accounts

    # A nudge to the people without a photo, 20 days ago: sent to all but the
    # holdout, who got nothing; some added a photo within 14 days, the rest did not.
    nudge = Nudge.objects.get()
    assert nudge.segment == Nudge.Segment.NO_PHOTO and nudge.status == Nudge.Status.SENT
    assert nudge.coach == coach
    assert timedelta(days=19) < timezone.now() - nudge.created_at < timedelta(days=21)
    recipients = list(nudge.recipients.select_related("person"))
    holdout = [r for r in recipients if r.holdout]
    sent = [r for r in recipients if not r.holdout]
    assert 1 <= len(holdout) <= 2
    assert all(r.sent_at is None and r.emailed_at is None and not r.acted_at for r in holdout)
    assert nudge.total == nudge.done == len(sent) >= 5
    assert all(r.sent_at and r.emailed_at for r in sent)
    acted = [r for r in sent if r.acted_at]
    assert 1 <= len(acted) < len(sent)
    assert all(timedelta(0) < r.acted_at - r.sent_at <= timedelta(days=14) for r in acted)
    assert all(r.person.photo for r in acted)
    assert not any(r.person.photo for r in recipients if not r.acted_at)

    # A page past its review date, still online.
    overdue = Page.objects.get(title="Regeling thuiswerken")
    assert overdue.review_by < timezone.localdate()
    assert client.get(overdue.get_absolute_url()).status_code == 200
