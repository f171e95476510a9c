import pytest
from django_scopes import scope
from django_scopes.exceptions import ScopeError

from stakeholders.models import Partner

from ..stakeholders.factories import PartnerFactory


def test_a_tenant_query_without_an_active_scope_raises(world):
    PartnerFactory(organization=world.org)
    with pytest.raises(ScopeError):
        list(Partner.objects.all())


def test_a_scoped_query_sees_only_its_organizations_rows(world):
    mine = PartnerFactory(organization=world.org, name="United Way Riverside")
    PartnerFactory(organization=world.other_org, name="Northbay Food Bank")
    with scope(organization=world.org):
        assert list(Partner.objects.all()) == [mine]
