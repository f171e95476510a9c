"""Two admins changing the organization's settings at once: the second save is refused,
naming the first, with what they typed kept (see `tests/backbone/stale_saves.py`)."""

from backbone.models import Role

from ..factories import MembershipFactory, UserFactory
from .stale_saves import EditCase, check_stale_save_refused


def test_a_stale_settings_save_is_refused_naming_who_and_keeping_the_input(world, login):
    other_admin = UserFactory()
    MembershipFactory(user=other_admin, organization=world.org, role=Role.ADMIN)
    org = world.org
    fields = {
        "time_zone": org.time_zone,
        "language": org.language,
        "newsletter_weekday": org.newsletter_weekday,
        "newsletter_hour": org.newsletter_hour,
    }
    url = "/o/riverside/settings/"
    case = EditCase(org, url, url, "name", "Their Collective", "My Collective", fields)
    case.me = other_admin
    check_stale_save_refused(world, login, case)
