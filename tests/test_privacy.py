"""Secret stays secret: every path that shows posts, for every kind of viewer.

A secret group's post and a closed group's post must reach exactly the
group's members and managers: not an outsider, not a member of another
group, not someone removed from the group. Everyone here follows the author
and the post's #tag, so only the visibility rule keeps the posts away.
"""

import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from communities import actions
from communities.models import Group, Membership
from project.asgi import application
from tests.factories import GroupFactory, PersonFactory
from tests.sockets import ORIGIN, session_cookie, settled

VIEWERS = ["outsider", "other_member", "member", "manager", "removed"]
ENTITLED = {"member", "manager"}


def build_world():
    alice = PersonFactory(username="alice", display_name="Alice de Vries")
    viewers = {name: PersonFactory(username=name) for name in VIEWERS}
    other = GroupFactory(slug="andere", members=[viewers["other_member"]])
    assert other
    private = {}
    for privacy, slug in [(Group.Privacy.SECRET, "geheim"), (Group.Privacy.CLOSED, "team")]:
        group = actions.create_group(alice, name=slug, privacy=privacy)
        for name in ("member", "manager", "removed"):
            actions.add_member(alice, group, viewers[name])
        actions.change_role(alice, group, viewers["manager"], Membership.Role.MANAGER)
        actions.remove_member(alice, group, viewers["removed"])
        private[slug] = group
    for viewer in viewers.values():
        actions.follow_person(viewer, alice)
        actions.follow_tag(viewer, "vertrouwelijk")
    return alice, viewers, private


@pytest.fixture
def world(db):
    return build_world()


PAGES = [
    "/",
    "/home/newer/?after=0",
    "/tags/vertrouwelijk/",
    "/tags/vertrouwelijk/newer/?after=0",
    "/people/alice/",
    "/people/alice/newer/?after=0",
    "/groups/{slug}/",
    "/groups/{slug}/newer/?after=0",
    "/groups/{slug}/?before=999999999",
    "/tags/vertrouwelijk/?before=999999999",
    "/people/alice/?before=999999999",
    "/?before=999999999",
]


def warm_cards(client, urls):
    """A member reads every page first: the post cards they see are kept
    (communities.post_cards), and the viewer after them meets a warm cache."""
    for url in urls:
        assert client.get(url, HTTP_HX_REQUEST="true" if "?" in url else "").status_code in (
            200,
            204,
        ), url


@pytest.mark.parametrize("cards", ["cold", "warm"])
@pytest.mark.parametrize("slug", ["geheim", "team"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_every_page_and_fragment_shows_private_posts_only_to_members(
    world, client_for, slug, viewer, cards
):
    alice, viewers, private = world
    text = f"vertrouwelijk bericht in {slug}"
    actions.post_to_group(alice, private[slug], f"{text} #vertrouwelijk")
    if cards == "warm":
        warm_cards(client_for(viewers["member"]), [url.format(slug=slug) for url in PAGES])
    client = client_for(viewers[viewer])
    for url in PAGES:
        url = url.format(slug=slug)
        response = client.get(url, HTTP_HX_REQUEST="true" if "?" in url else "")
        assert response.status_code in (200, 204, 404), url
        shown = text in response.content.decode()
        assert shown == (viewer in ENTITLED), f"{viewer} on {url}: shown={shown}"


CATCH_UPS = [
    "/home/newer/",
    "/tags/vertrouwelijk/newer/",
    "/people/alice/newer/",
    "/groups/{slug}/newer/",
]


@pytest.mark.parametrize("cards", ["cold", "warm"])
@pytest.mark.parametrize("slug", ["geheim", "team"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_catching_up_on_changes_names_private_posts_only_to_members(
    world, client_for, slug, viewer, cards
):
    """Replies, reactions, edits and removals fetched by a reconnecting page."""
    alice, viewers, private = world
    replied = actions.post_to_group(alice, private[slug], "eerst #vertrouwelijk")
    removed = actions.post_to_group(alice, private[slug], "weg #vertrouwelijk")
    actions.reply_to_post(viewers["member"], replied, f"vertrouwelijk antwoord in {slug}")
    actions.toggle_reaction(viewers["manager"], replied, "like")
    actions.edit_post(alice, replied, f"vertrouwelijk bewerkt in {slug} #vertrouwelijk")
    actions.delete_post(alice, removed)
    if cards == "warm":
        member = client_for(viewers["member"])
        warm_cards(member, [url.format(slug=slug) for url in PAGES])
        warm_cards(
            member, [u.format(slug=slug) + f"?after={removed.pk}&since=0" for u in CATCH_UPS]
        )
    client = client_for(viewers[viewer])
    for url in CATCH_UPS:
        url = url.format(slug=slug) + f"?after={removed.pk}&since=0"
        response = client.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code in (200, 204, 404), url
        html = response.content.decode()
        shown = [
            f"vertrouwelijk antwoord in {slug}" in html,
            f"vertrouwelijk bewerkt in {slug}" in html,
            f"post-{replied.pk}-reactions" in html,
            f"#post-{removed.pk}" in html,
        ]
        assert shown == [viewer in ENTITLED] * 4, f"{viewer} on {url}: {shown}"


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_secret_group_does_not_exist_for_those_outside_it(world, client_for, viewer):
    client = client_for(world[1][viewer])
    listed = "geheim" in client.get("/groups/").content.decode()
    page = client.get("/groups/geheim/")
    assert listed == (viewer in ENTITLED)
    assert (page.status_code == 404) == (viewer not in ENTITLED)


PEOPLE_PAGES = [
    "/people/",
    "/people/?q=alice",
    "/people/?expertise=vertrouwelijk",
    "/people/?department=Wijkzorg",
    "/people/alice/",
    "/people/alice/?before=999999999",
    "/settings/profile/",
]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_profiles_and_the_directory_name_a_secret_group_only_to_its_members(
    world, client_for, viewer
):
    """Alice posts in the secret group and asks to be asked about it; her profile
    page and the directory show her to everyone, the group and its posts only to
    those inside it."""
    from people import actions as people_actions

    alice, viewers, private = world
    people_actions.edit_profile(
        alice,
        job_title="Vertrouwenspersoon",
        department="Wijkzorg",
        location="Utrecht",
        phone="030 123 45 67",
        bio="Bel me gerust.",
        expertise=["vertrouwelijk"],
    )
    actions.post_to_group(alice, private["geheim"], "vertrouwelijk bericht in geheim")
    warm_cards(client_for(viewers["member"]), PEOPLE_PAGES)
    client = client_for(viewers[viewer])
    for url in PEOPLE_PAGES:
        html = client.get(url).content.decode()
        assert "Alice de Vries" in html or url == "/settings/profile/", url
        # The page itself; the sidebar lists a member's own groups on every page.
        content = html[html.index("<main") : html.index("</main>")]
        named = "geheim" in content
        expected = viewer in ENTITLED and url.startswith("/people/alice/")
        assert named == expected, f"{viewer} on {url}: named={named}"
        sidebar = html[html.index('<nav class="sidebar"') : html.index("<main")]
        assert ("geheim" in sidebar) == (viewer in ENTITLED), f"{viewer}: sidebar on {url}"


FEEDS = ["/ws/home/", "/ws/tags/vertrouwelijk/", "/ws/people/alice/", "/ws/groups/{slug}/"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slug", ["geheim", "team"])
async def test_live_streams_push_private_posts_only_to_members(slug):
    alice, viewers, private = await database_sync_to_async(build_world)()
    sockets = []
    for name, viewer in viewers.items():
        cookie = await database_sync_to_async(session_cookie)(viewer)
        for feed in FEEDS:
            communicator = WebsocketCommunicator(
                application, feed.format(slug=slug), headers=[ORIGIN, cookie]
            )
            await communicator.connect()
            sockets.append((name, feed, communicator))

    text = f"live vertrouwelijk in {slug}"
    await database_sync_to_async(actions.post_to_group)(
        alice, private[slug], f"{text} #vertrouwelijk"
    )
    for name, feed, communicator in sockets:
        # A socket refused at connect closes; every other one settles.
        received = await settled(communicator, viewers[name], may_close=True)
        shown = any(text in message for message in received)
        assert shown == (name in ENTITLED), f"{name} on {feed}: {received}"
        if shown:
            assert len(received) == 1, f"{name} on {feed} got it {len(received)} times"
        await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("slug", ["geheim", "team"])
def test_notifications_emails_and_digests_tell_of_private_posts_only_members(slug, client_for):
    """Every viewer is mentioned, follows the #tag with alerts on and wants mentions
    by email at once and a daily digest: only the visibility rule keeps them out."""
    from django.core import mail
    from django.utils import timezone

    from notices import actions as notice_actions
    from notices import emails, tasks

    alice, viewers, private = build_world()
    for name, viewer in viewers.items():
        viewer.email, viewer.last_login = f"{name}@k.test", timezone.now()
        viewer.save()
        notice_actions.save_notification_preferences(
            viewer, {"quiet_from": None, "quiet_until": None, "digest_frequency": "daily"}
        )
        actions.tell_of_new_posts(viewer, tag_name="vertrouwelijk")
        notice_actions.mark_all_read(viewer)  # being added to and removed from the groups
    text = f"vertrouwelijk bericht in {slug}"
    mentions = " ".join(f"@{name}" for name in VIEWERS)
    post = actions.post_to_group(alice, private[slug], f"{text} #vertrouwelijk {mentions}")
    actions.reply_to_post(alice, post, "en een antwoord")  # talked about: a top post
    tasks.send_digests.delay("daily").get()
    for name, viewer in viewers.items():
        client = client_for(viewer)
        paths = {
            "list": text in client.get("/notifications/").content.decode(),
            "menu": text in client.get("/notifications/menu/").content.decode(),
            "bell": 'data-count="0"' not in client.get("/notifications/count/").content.decode(),
            "email": any(
                m.to == [viewer.email] and "mentioned you" in m.subject for m in mail.outbox
            ),
            "digest": any(
                m.to == [viewer.email] and text in m.body and text in m.alternatives[0][0]
                for m in mail.outbox
                if "in Kring" in m.subject
            ),
            "digest content": text
            in [
                p.body[: len(text)]
                for p in emails.build_digest(viewer, "daily", post.created_at).top_posts
            ],
        }
        expected = name in ENTITLED
        assert paths == dict.fromkeys(paths, expected), name


@pytest.mark.parametrize("viewer", VIEWERS)
def test_a_data_download_and_its_status_are_alices_alone(
    world, client_for, viewer, django_capture_on_commit_callbacks
):
    """Alice's download of her data, with her secret group's posts in it: no other
    viewer downloads it or sees it, or that she asked for one, on their settings page."""
    from privacy import actions as privacy_actions

    alice, viewers, private = world
    actions.post_to_group(alice, private["geheim"], "vertrouwelijk bericht in geheim")
    with django_capture_on_commit_callbacks(execute=True):
        export = privacy_actions.request_export(alice)
    url = f"/settings/data/{export.pk}/download/"
    assert client_for(alice).get(url).status_code == 200
    client = client_for(viewers[viewer])
    assert client.get(url).status_code == 404
    page = client.get("/settings/").content.decode()
    assert url not in page and "Download my data" in page
    assert "Your data is being prepared" not in page


# Search ---------------------------------------------------------------------

SEARCHES = [
    "/search/?q={term}",
    "/search/?q={term}&kind=posts",
    "/search/?q={term}&kind=groups",
    "/search/?q={term}&order=newest",
    "/search/suggestions/?q={term}",
]


@pytest.fixture
def indexed_world(db, django_capture_on_commit_callbacks):
    """The world, with what waits for each commit (the index among it) run."""
    with django_capture_on_commit_callbacks(execute=True):
        return build_world()


def searched(client, term: str) -> list[str]:
    return [client.get(url.format(term=term)).content.decode() for url in SEARCHES]


@pytest.mark.parametrize("slug", ["geheim", "team"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_finds_private_posts_replies_and_groups_only_for_those_who_may_see_them(
    indexed_world, client_for, slug, viewer, django_capture_on_commit_callbacks
):
    """Results, snippets, counts and suggestions, for every kind in the index."""
    alice, viewers, private = indexed_world
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.post_to_group(alice, private[slug], f"zoekpost{slug} vertrouwelijk")
        actions.reply_to_post(viewers["member"], post, f"zoekreactie{slug} vertrouwelijk")
        actions.reply_to_post(viewers["member"], post, f"zoekreactie{slug} nogmaals")
    client = client_for(viewers[viewer])
    for term, kind in ((f"zoekpost{slug}", "post"), (f"zoekreactie{slug}", "reply")):
        for url, html in zip(SEARCHES, searched(client, term), strict=True):
            shown = f"{term}</mark>" in html
            if url.endswith("kind=groups"):
                assert not shown
                continue
            assert shown == (viewer in ENTITLED), f"{viewer}, {kind} on {url}"
            if "suggestions" not in url:
                counted = "2 results" in html if kind == "reply" else "1 result " in html
                assert counted == (viewer in ENTITLED), f"{viewer}, count on {url}"
    # The group itself: a closed group is known to all, a secret one to its members.
    knows_group = viewer in ENTITLED or slug == "team"
    found_group = [f"<mark>{slug}</mark>" in html for html in searched(client, slug)]
    assert found_group == [knows_group, False, knows_group, knows_group, knows_group], viewer
    # People are found by everyone.
    assert "<mark>Alice</mark> de Vries" in searched(client, "alice")[0]


CLEAN = [
    (re.compile(r'"X-CSRFToken": "[^"]+"'), ""),
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), ""),
]


def answer(client, term: str) -> str:
    """The page for ``term`` as a viewer compares it: main content, the term itself
    and the per-response tokens taken out."""
    pages = []
    for html in searched(client, term):
        if "<main" in html:
            html = html[html.index("<main") : html.index("</main>")]
        for pattern, replacement in CLEAN:
            html = pattern.sub(replacement, html)
        pages.append(html.replace(term, "TERM"))
    return "\n".join(pages)


@pytest.mark.parametrize("viewer", ["outsider", "other_member", "removed"])
def test_a_word_only_a_secret_group_uses_answers_as_a_word_used_nowhere(
    indexed_world, client_for, viewer, django_capture_on_commit_callbacks
):
    alice, viewers, private = indexed_world
    with django_capture_on_commit_callbacks(execute=True):
        post = actions.post_to_group(alice, private["geheim"], "Het woord ultrageheimx staat hier")
        actions.reply_to_post(viewers["member"], post, "En ultrageheimx staat hier ook")
    client = client_for(viewers[viewer])
    assert answer(client, "ultrageheimx") == answer(client, "nergensxyzw")
    member = client_for(viewers["member"])
    assert answer(member, "ultrageheimx") != answer(member, "nergensxyzw")


# The coach's paths, and what each names to those who may see it: "article" (its
# title), "page" (the knowledge page's title) and "group" (the secret group's name).
INSIGHTS = {
    "/insights/?period=7": {"article", "page", "group"},
    "/insights/export/news.csv?period=7": {"article"},
    "/insights/export/groups.csv?period=7": {"group"},
    "/insights/export/pages.csv?period=7": {"page"},
    "/insights/export/unopened.csv?period=7": set(),
    "/insights/export/past-review.csv?period=7": {"page"},
    "/insights/?period=7&scope=group:{group_id}": {"article", "page", "group"},
    "/insights/export/news.csv?period=7&scope=group:{group_id}": {"article"},
}


@pytest.mark.parametrize("slug", ["geheim", "team"])
@pytest.mark.parametrize("viewer", VIEWERS)
def test_the_coachs_dashboard_and_files_name_private_news_and_pages_only_to_members(
    world, client_for, settings, slug, viewer
):
    """Every viewer is a community coach here: figures are counts, but what names a
    thing (an article, a knowledge page, a secret group) follows the one rule. (The
    groups here are small: the minimum is lowered so that every table is shown.)"""
    settings.INSIGHTS_MIN_PEOPLE = 1
    from communities.models import Person, Post, PostRead
    from insights.models import PageUse
    from knowledge import actions as knowledge
    from knowledge.models import Page

    alice, viewers, private = world
    group = private[slug]
    Person.objects.filter(pk__in=[v.pk for v in viewers.values()]).update(is_coach=True)
    title = f"Vertrouwelijk artikel in {slug}"
    article = actions.post_to_group(
        alice, group, "Alleen voor de groep", kind=Post.Kind.ARTICLE, title=title
    )
    PostRead.objects.create(post=article, person=viewers["member"])
    page = knowledge.create_page(
        alice, title=f"Vertrouwelijke pagina {slug}", body="x", group=group
    )
    long_ago = article.created_at.replace(year=2020)
    Page.objects.filter(pk=page.pk).update(review_months=6, created_at=long_ago)
    PageUse.objects.create(place=f"page_detail:{page.pk}", day=article.created_at.date(), views=3)
    client = client_for(Person.objects.get(pk=viewers[viewer].pk))
    for url, names in INSIGHTS.items():
        url = url.format(group_id=group.pk)
        response = client.get(url)
        if "scope=group" in url and slug == "geheim" and viewer not in ENTITLED:
            assert response.status_code == 404, url  # a secret group is no scope for them
            continue
        assert response.status_code == 200, url
        body = response.content.decode()
        said = {
            "article": title in body,
            "page": page.title in body,
            # Secret groups only: a closed group's name is known to everyone.
            "group": slug == "geheim" and (">geheim<" in body or "\ngeheim," in body),
        }
        for what, shown in said.items():
            if what == "group" and slug != "geheim":
                continue
            expected = viewer in ENTITLED and what in names
            assert shown == expected, f"{viewer} on {url}: {what} shown={shown}"
