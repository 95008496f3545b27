"""factory_boy factories. Each factory that needs a municipality creates its own (STYLE.md rule 12)."""

import itertools
from datetime import date

import factory
from django.contrib.auth.models import Group

from regio.models import Membership, Municipality, PopulationFigure, Region, User
from regio.tenancy import forget_scope

_codes = itertools.count(9000)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("code",)

    code = factory.LazyFunction(lambda: f"GM{next(_codes):04d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")


class PopulationFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PopulationFigure

    municipality = factory.SubFactory(MunicipalityFactory)
    reference_date = date(2025, 1, 1)
    inhabitants = 10000


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"testregio-{n}")
    name = factory.Sequence(lambda n: f"Testregio {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    region = factory.SubFactory(RegionFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    valid_from = date(2020, 1, 1)
    valid_until = None
    coordinating = False


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    full_name = factory.Sequence(lambda n: f"Gebruiker {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@regio-wmo.example")
    municipality = factory.SubFactory(MunicipalityFactory)
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for role in extracted:
            group, _ = Group.objects.get_or_create(name=role)
            self.groups.add(group)
        forget_scope(self)
