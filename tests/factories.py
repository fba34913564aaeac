import factory
from django.contrib.auth.hashers import make_password

from communities.models import Group, Membership, Person

PASSWORD = "a-test-password-1"
_HASHED = make_password(PASSWORD)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"person{n}")
    display_name = factory.Faker("name", locale="nl_NL")
    job_title = "Verpleegkundige"
    department = "Wijkzorg"
    location = "Utrecht"
    password = _HASHED


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")
    slug = factory.Sequence(lambda n: f"group-{n}")
    privacy = Group.Privacy.OPEN

    @factory.post_generation
    def members(group, create, extracted, **kwargs):
        for person in extracted or []:
            Membership.objects.create(group=group, person=person)
