"""Factories for tests: believable objects with invented names."""

import datetime as dt

import factory
from django.utils import timezone

from echohub.accounts.models import User
from echohub.network.models import Hub, Spoke, StaffRole
from echohub.programs.models import Program, ProgramStaff, Session, Speaker

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)


class HubFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hub

    slug = factory.Sequence(lambda n: f"hub-{n}")
    name_en = factory.Sequence(lambda n: f"Hub {n}")
    name_fr = factory.Sequence(lambda n: f"Carrefour {n}")
    scope = Hub.Scope.NATIONAL


class SpokeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Spoke

    name = factory.Sequence(lambda n: f"Family Health Team {n}")
    setting_id = "primary-care"
    province_id = "ON"
    place = "Sudbury"
    rurality = Spoke.Rurality.URBAN


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    hub = factory.SubFactory(HubFactory)
    person = factory.SubFactory(UserFactory)
    role = StaffRole.Role.COORDINATOR


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    hub = factory.SubFactory(HubFactory)
    slug = factory.Sequence(lambda n: f"program-{n}")
    title_en = factory.Sequence(lambda n: f"Program {n}")
    title_fr = factory.Sequence(lambda n: f"Programme {n}")
    description_en = "A series for providers."
    description_fr = "Une série pour les intervenants."
    status = Program.Status.PUBLISHED


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    program = factory.SubFactory(ProgramFactory)
    title_en = factory.Sequence(lambda n: f"Session {n}")
    title_fr = factory.Sequence(lambda n: f"Séance {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    duration_minutes = 60
    capacity = 100
    join_url = "https://video.example.org/j/123456"


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    session = factory.SubFactory(SessionFactory)
    name = factory.Sequence(lambda n: f"Dr. Speaker {n}")
    bio_en = "Palliative care physician."
    bio_fr = "Médecin en soins palliatifs."


class ProgramStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramStaff

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(UserFactory)
    role = ProgramStaff.Role.FACILITATOR
