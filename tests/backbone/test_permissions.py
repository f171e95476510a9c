import pytest

from backbone.models import Membership, Role
from backbone.permissions import PERMISSIONS, can

A, C, P, R = Role.ADMIN, Role.COORDINATOR, Role.PARTNER, Role.ROUNDTABLE

# The whole table, written out so that any change to a role's rights is a
# deliberate change to this test too.
EXPECTED = {
    "organization.view": {A, C, P, R},
    "organization.settings": {A},
    "members.view": {A, C, R},
    "members.manage": {A},
    "jobs.view": {A},
    "organization.archive": {A},
    "organization.transfer": {A},
    "initiatives.view": {A, C, P, R},
    "initiatives.edit": {A, C},
    "initiatives.reflect": {A, C, R},
    "stakeholders.view": {A, C, P, R},
    "stakeholders.edit": {A, C},
    "stakeholders.notes": {A, C, R},
    "stakeholders.export": {A, C},
    "partners.invite": {A, C},
    "capacity.answer": {A, C, P},
    "capacity.view": {A, C, R},
    "measures.view": {A, C, P, R},
    "measures.define": {A, C},
    "measures.submit": {A, C, P},
    "measures.approve": {A, C},
    "plans.view": {A, C, P, R},
    "plans.edit": {A, C},
    "plans.comment": {A, C, R},
    "plans.download": {A, C, P, R},
    "newsletters.manage": {A, C},
    "reviews.view": {A, C, R},
    "reviews.manage": {A, C},
    "handover.view": {A, C, R},
    "handover.make": {A, C},
}


def test_the_table_lists_exactly_the_expected_actions():
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_exactly_what_the_table_says(role, action):
    membership = Membership(role=role)
    assert can(membership, action) is (role in EXPECTED[action])


def test_nobody_without_membership_may_do_anything():
    assert not any(can(None, action) for action in PERMISSIONS)


def test_an_unknown_action_raises_instead_of_passing():
    with pytest.raises(KeyError, match="initiatives.delete_everything"):
        can(Membership(role=Role.ADMIN), "initiatives.delete_everything")
