"""Editing one's own profile, the profile page, and the people directory."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities import actions as core_actions
from communities.models import Person
from communities.uploads import prepare_profile_photo
from people import actions
from people.models import Expertise, Profile
from tests.factories import GroupFactory, PersonFactory
from tests.people.helpers import upload

FORM = {
    "job_title": "Wondverpleegkundige",
    "department": "Kliniek",
    "location": "Amersfoort",
    "phone": "033 760 12 09",
    "expertise": "Wondzorg, decubitus,  wondzorg , Negatieve druktherapie",
    "bio": "Trekker van de kenniskring wondzorg.",
}


@pytest.fixture
def emma(db):
    return PersonFactory(username="emma", display_name="Emma Meijer", job_title="", location="")


def test_someone_edits_their_profile_with_a_photo(emma, client_for):
    client = client_for(emma)
    assert client.get("/settings/profile/").status_code == 200
    response = client.post("/settings/profile/", {**FORM, "photo": upload()})
    assert response.status_code == 302 and response["Location"] == "/people/emma/"
    emma.refresh_from_db()
    assert (emma.job_title, emma.department, emma.location) == (
        "Wondverpleegkundige",
        "Kliniek",
        "Amersfoort",
    )
    assert emma.photo and emma.photo_thumbnail
    profile = Profile.objects.get(person=emma)
    assert profile.phone == "033 760 12 09"
    assert [e.name for e in profile.expertise.all()] == [
        "decubitus",
        "Negatieve druktherapie",
        "Wondzorg",
    ]
    page = client.get("/people/emma/").content.decode()
    assert 'href="tel:0337601209"' in page
    assert 'href="/people/?expertise=wondzorg"' in page
    assert "Trekker van de kenniskring wondzorg." in page
    assert emma.photo_url("photo") in page
    # The form shows what is saved, to change it.
    form = client.get("/settings/profile/").content.decode()
    assert 'value="033 760 12 09"' in form and "Remove my photo" in form


def test_a_text_file_sent_as_photo_is_refused_and_the_form_keeps_what_was_typed(emma, client_for):
    client = client_for(emma)
    response = client.post(
        "/settings/profile/", {**FORM, "photo": upload("me.png", b"not a photo at all")}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "me.png is not a photo" in html
    assert 'value="Wondverpleegkundige"' in html and "Trekker van de kenniskring" in html
    assert 'aria-invalid="true"' in html
    emma.refresh_from_db()
    assert emma.job_title == "" and not emma.photo
    assert not Profile.objects.filter(person=emma).exists()


def test_bad_phone_and_too_many_topics_are_explained(emma, client_for):
    many = ", ".join(f"onderwerp {n}" for n in range(13))
    response = client_for(emma).post(
        "/settings/profile/", {**FORM, "phone": "bel me maar", "expertise": many}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Write a phone number with digits" in html and "At most 12 topics" in html
    assert not Profile.objects.filter(person=emma).exists()


def test_a_failure_halfway_writes_nothing(emma, monkeypatch):
    def broken(names):
        raise RuntimeError("database went away")

    monkeypatch.setattr(actions, "_expertise", broken)
    with pytest.raises(RuntimeError):
        actions.edit_profile(emma, **{**FORM, "expertise": ["wondzorg"]})
    emma.refresh_from_db()
    assert emma.job_title == "" and not Profile.objects.filter(person=emma).exists()


def test_someone_removes_their_photo(emma, client_for):
    core_actions.set_person_photo(emma, prepare_profile_photo(upload()))
    response = client_for(emma).post("/settings/profile/", {**FORM, "remove_photo": "on"})
    assert response.status_code == 302
    emma.refresh_from_db()
    assert not emma.photo and not emma.photo_thumbnail


def test_one_sees_how_complete_ones_own_profile_is_and_others_do_not(emma, client_for):
    other = client_for(PersonFactory()).get("/people/emma/").content.decode()
    assert "completeness" not in other and "% complete" not in other
    own = client_for(emma).get("/people/emma/").content.decode()
    # Department only (1 of 7): a photo, job title, location, phone, expertise and bio missing.
    assert "Your profile is 14% complete" in own
    assert "a photo" in own and "what colleagues may ask you about" in own
    assert 'href="/settings/profile/"' in own
    client_for(emma).post("/settings/profile/", {**FORM, "photo": upload()})
    own = client_for(emma).get("/people/emma/").content.decode()
    assert "% complete" not in own


def make_people(count, department="Wijkzorg"):
    tag, _ = Expertise.objects.get_or_create(slug="wondzorg", defaults={"name": "wondzorg"})
    made = []
    for n in range(count):
        person = PersonFactory(department=department, display_name=f"Collega {n:02d}")
        profile = Profile.objects.create(person=person, phone="06 1")
        profile.expertise.add(tag, Expertise.objects.get_or_create(slug=f"t{n}", name=f"t{n}")[0])
        core_actions.set_person_photo(person, prepare_profile_photo(upload(size=(64, 64))))
        made.append(person)
    return made


def test_the_directory_needs_as_many_queries_for_3_people_as_for_30(db, client_for, settings):
    viewer = client_for(PersonFactory(username="kijker"))

    def queries_and_cards():
        with CaptureQueriesContext(connection) as captured:
            html = viewer.get("/people/?department=Wijkzorg").content.decode()
        return len(captured), html.count('class="card person-card"')

    make_people(3)
    few = queries_and_cards()
    make_people(27)
    many = queries_and_cards()
    assert (few[1], many[1]) == (4, 24)  # the viewer too; 24 a page
    assert few[0] == many[0]


def test_the_directory_finds_by_name_and_filters(db, client_for):
    anouk = PersonFactory(
        username="anouk", display_name="Anouk de Vries", first_name="Anouk", last_name="de Vries"
    )
    PersonFactory(username="bram", display_name="Bram Jansen", department="ICT", location="Zeist")
    PersonFactory(username="weg", display_name="Oud Collega", is_active=False)
    actions.edit_profile(
        anouk,
        job_title="Wijkverpleegkundige",
        department="Wijkzorg",
        location="Utrecht",
        phone="",
        bio="",
        expertise=["Palliatieve zorg"],
    )
    client = client_for(PersonFactory(username="kijker", display_name="Kijker", department="HR"))

    def names(query):
        html = client.get(f"/people/{query}").content.decode()
        return [n for n in ("Anouk de Vries", "Bram Jansen", "Oud Collega") if n in html]

    assert names("") == ["Anouk de Vries", "Bram Jansen"]
    assert names("?q=VRIES") == ["Anouk de Vries"]
    assert names("?q=bram") == ["Bram Jansen"]
    assert names("?department=ICT") == ["Bram Jansen"]
    assert names("?location=Utrecht") == ["Anouk de Vries"]
    assert names("?expertise=palliatieve-zorg") == ["Anouk de Vries"]
    assert names("?q=nobody") == []
    html = client.get("/people/").content.decode()
    # The selects offer the values present, and only those.
    assert '<option value="ICT">ICT</option>' in html
    assert '<option value="palliatieve-zorg">Palliatieve zorg</option>' in html
    assert "Zeist" in html and "Amersfoort" not in html


def test_the_directory_is_paged(db, client_for):
    for n in range(30):
        PersonFactory(display_name=f"Collega {n:02d}")
    client = client_for(PersonFactory(display_name="Zz kijker"))
    first = client.get("/people/").content.decode()
    second = client.get("/people/?page=2").content.decode()
    assert "Collega 00" in first and "Collega 29" not in first
    assert "Collega 29" in second and "Page 2 of 2" in second


def test_avatars_on_a_group_page_and_the_bell_take_no_queries_of_their_own(db, client_for):
    viewer = PersonFactory(username="kijker")
    group = GroupFactory(slug="wondzorg", members=[viewer])
    client = client_for(viewer)

    def add(count):
        for person in make_people(count):
            core_actions.join_group(person, group)
            post = core_actions.post_to_group(person, group, f"hallo @kijker van {person}")
            core_actions.reply_to_post(person, post, "en een antwoord")

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            html = client.get(url).content.decode()
        return len(captured), html.count('class="avatar ')

    add(2)
    few = [queries("/groups/wondzorg/"), queries("/groups/wondzorg/members/")]
    add(8)
    many = [queries("/groups/wondzorg/"), queries("/groups/wondzorg/members/")]
    assert [q for q, _ in few] == [q for q, _ in many]
    assert [a for _, a in many] > [a for _, a in few]
    assert Person.objects.exclude(photo="").count() == 10


def test_with_htmx_the_directory_answers_with_its_results_alone(db, client_for):
    PersonFactory(display_name="Bram Jansen", department="ICT")
    client = client_for(PersonFactory(display_name="Kijker", department="HR"))
    response = client.get("/people/?department=ICT", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.startswith('<div id="directory-results">') and "<html" not in html
    assert "Bram Jansen" in html and "Kijker" not in html
    assert "HX-Request" in response["Vary"]


def test_a_bio_too_long_is_not_cut_but_explained(emma, client_for):
    client = client_for(emma)
    form = client.get("/settings/profile/").content.decode()
    textarea = re.search(r"<textarea[^>]*>", form).group(0)
    assert 'name="bio"' in textarea and "maxlength" not in textarea
    response = client.post("/settings/profile/", {**FORM, "bio": "lang " * 120})
    assert response.status_code == 422
    html = response.content.decode()
    assert "at most 500 characters" in html and "lang lang" in html
