"""Factories of the shared kernel, used by every app's tests."""

import factory
from django.contrib.auth.models import Group

from egov.accounts.models import User
from egov.accounts.roles import Role
from egov.agencies.models import Agency, AgencyKind

PASSWORD = "mat-khau-thu-nghiem-2026"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    kind = AgencyKind.DEPARTMENT
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"S{n}")
    # From 000.50.00.H41 up: the fixtures' own fixed codes (000.00.xx, 000.01.xx) never meet a generated one, whatever
    # order the tests run in.
    exchange_code = factory.Sequence(lambda n: f"000.{(n + 5000) // 100 % 100:02d}.{n % 100:02d}.H41")

    class Params:
        province = factory.Trait(kind=AgencyKind.PROVINCIAL_COMMITTEE, short_name="UBND", parent=None)
        commune = factory.Trait(kind=AgencyKind.COMMUNE_COMMITTEE, short_name="UBND")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    roles = ()

    @classmethod
    def _create(cls, model_class, *args, roles=(), **kwargs):
        user = model_class(*args, **kwargs)
        user.set_password(PASSWORD)
        user.save()
        user.groups.set(Group.objects.filter(name__in=[str(r) for r in roles]))
        return user

    class Params:
        citizen = factory.Trait(
            national_id=factory.Sequence(lambda n: f"020{n:09d}"),
            phone=factory.Sequence(lambda n: f"091{n:07d}"),
            email=factory.Sequence(lambda n: f"citizen{n}@example.vn"),
            roles=[Role.CITIZEN],
        )
        clerk = factory.Trait(agency=factory.SubFactory(AgencyFactory), roles=[Role.ONE_STOP_CLERK])
        leader = factory.Trait(agency=factory.SubFactory(AgencyFactory), roles=[Role.LEADER])


def login_verified_superuser(client):
    """A system admin signed in and past the second factor (a one-time backup code), as the admin needs."""
    from django.urls import reverse
    from django_otp.plugins.otp_static.models import StaticDevice

    admin = UserFactory(is_staff=True, is_superuser=True)
    StaticDevice.objects.create(user=admin, name="backup").token_set.create(token="backup01")
    client.force_login(admin)
    client.post(reverse("accounts:otp_verify"), {"token": "backup01"})
    return admin
