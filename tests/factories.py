"""Factories for test data. Creation runs with scopes disabled, as set-up is not a request."""

import factory
from allauth.account.models import EmailAddress
from django_scopes import scopes_disabled

from backbone.models import Invitation, Membership, Organization, Role, User, hash_token

PASSWORD = "correct-horse-battery"


class ScopeFreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


class UserFactory(ScopeFreeFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class OrganizationFactory(ScopeFreeFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Collective {n}")
    slug = factory.Sequence(lambda n: f"collective-{n}")
    time_zone = "America/Toronto"


class MembershipFactory(ScopeFreeFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.COORDINATOR


class InvitationFactory(ScopeFreeFactory):
    """Pass `token=` to know the secret; the row keeps only its hash."""

    class Meta:
        model = Invitation
        exclude = ["token"]

    organization = factory.SubFactory(OrganizationFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    role = Role.COORDINATOR
    token = factory.Sequence(lambda n: f"test-token-{n}")
    token_hash = factory.LazyAttribute(lambda o: hash_token(o.token))
    invited_by = factory.SubFactory(UserFactory)
