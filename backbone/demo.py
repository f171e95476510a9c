"""Demo data of the tenancy core: two organizations and one person per role.

`seed_demo` calls `seed(world)` in every installed app's `demo` module, in
INSTALLED_APPS order (so each app builds on the ones it depends on). Every
`seed` is idempotent: a second run changes nothing and duplicates nothing.
"""

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress

from .models import ApiToken, Membership, Organization, Role, User, hash_token

PASSWORD = "backbone-demo"  # noqa: S105 - documented demo password, local data only
# Documented demo API tokens (local data only), so that the README's curl examples work as
# written: the partner user reports values, the coordinator approves them.
API_TOKENS = [
    ("partner@riverside.example", "riverside", "bbk_demo-partner-riverside"),
    ("coordinator@riverside.example", "riverside", "bbk_demo-coordinator-riverside"),
]


@dataclass
class DemoWorld:
    organizations: dict[str, Organization] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


ORGANIZATIONS = [
    # slug, name, time zone, language
    ("riverside", "Riverside Collective", "America/Toronto", "en"),
    ("northbay", "Northbay Alliance", "America/Vancouver", "en"),
    ("riviere-du-nord", "Collectif Rivière-du-Nord", "America/Toronto", "fr"),
]

PEOPLE = [
    # e-mail, first name, last name, organization slug, role
    ("admin@riverside.example", "Amara", "Okafor", "riverside", Role.ADMIN),
    ("coordinator@riverside.example", "Daniel", "Tremblay", "riverside", Role.COORDINATOR),
    ("partner@riverside.example", "Priya", "Shah", "riverside", Role.PARTNER),
    ("roundtable@riverside.example", "Margaret", "Whitehorse", "riverside", Role.ROUNDTABLE),
    ("coordinator@northbay.example", "Lucas", "Moreau", "northbay", Role.COORDINATOR),
    # The French organization: its people read Backbone in French.
    ("admin@riviere-du-nord.example", "Geneviève", "Lapointe", "riviere-du-nord", Role.ADMIN),
    (
        "coordination@riviere-du-nord.example",
        "Mathieu",
        "Gagnon",
        "riviere-du-nord",
        Role.COORDINATOR,
    ),
    ("partenaire@riviere-du-nord.example", "Sophie", "Bélanger", "riviere-du-nord", Role.PARTNER),
    ("table@riviere-du-nord.example", "Jacques", "Pelletier", "riviere-du-nord", Role.ROUNDTABLE),
]


def demo_user(email: str, first_name: str, last_name: str) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"first_name": first_name, "last_name": last_name}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed(world: DemoWorld) -> None:
    for slug, name, tz, language in ORGANIZATIONS:
        organization, _ = Organization.objects.get_or_create(
            slug=slug, defaults={"name": name, "time_zone": tz, "language": language}
        )
        world.organizations[slug] = organization
    for email, first, last, slug, role in PEOPLE:
        user = demo_user(email, first, last)
        if world.organizations[slug].language != "en" and not user.language:
            user.language = world.organizations[slug].language
            user.save(update_fields=["language"])
        Membership.objects.get_or_create(
            user=user, organization=world.organizations[slug], defaults={"role": role}
        )
        world.users[email] = user
    world.lines.append(f"Log in at http://127.0.0.1:8000/accounts/login/ with password {PASSWORD}:")
    for email, _first, _last, slug, role in PEOPLE:
        world.lines.append(f"  {email:<38} {role.label} of {world.organizations[slug].name}")
    world.lines.append("API tokens (send as “Authorization: Bearer <token>”, see README “API”):")
    for email, slug, secret in API_TOKENS:
        membership = Membership.objects.get(user__email=email, organization__slug=slug)
        ApiToken.objects.get_or_create(
            key_hash=hash_token(secret),
            defaults={"membership": membership, "name": "Demo token", "hint": secret[:8]},
        )
        world.lines.append(f"  {email:<38} {secret}")
