"""The one way a view reaches an object: organization first, then the owning app's
narrowing, 404 for strangers, and a refusal to write on what is read-only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory
from django_scopes import scopes_disabled

from backbone.access import ReadOnly, access, refuse_if_read_only, require
from backbone.models import Invitation

from ..factories import InvitationFactory


def request_of(world, user):
    request = RequestFactory().get("/")
    request.organization = world.org
    request.membership = world.membership(user)
    request.user = user
    return request


def test_it_gives_the_object_of_the_current_organization(world):
    invitation = InvitationFactory(organization=world.org)
    with scopes_disabled():
        assert access(request_of(world, world.admin), Invitation, pk=invitation.pk) == invitation


def test_another_organizations_object_is_404(world):
    theirs = InvitationFactory(organization=world.other_org)
    with scopes_disabled(), pytest.raises(Http404):
        access(request_of(world, world.admin), Invitation, pk=theirs.pk)


def test_an_object_outside_the_narrowed_queryset_is_404(world):
    invitation = InvitationFactory(organization=world.org)
    with scopes_disabled(), pytest.raises(Http404):
        access(request_of(world, world.admin), Invitation.objects.none(), pk=invitation.pk)


class Frozen:
    read_only_reason = "archived"


class Open:
    read_only_reason = ""


def test_a_read_only_object_is_refused_for_a_write_and_says_why():
    with pytest.raises(ReadOnly, match="archived"):
        refuse_if_read_only(Frozen())
    refuse_if_read_only(Open())
    refuse_if_read_only(object())  # objects that can't be frozen are always writable


def test_require_refuses_a_role_without_the_action(world):
    require(request_of(world, world.admin), "members.manage")
    with pytest.raises(PermissionDenied):
        require(request_of(world, world.partner), "members.manage")
