"""The French demo organization: « Collectif Rivière-du-Nord », in French from its
settings to its data, printed by seed_demo with its sign-in."""

from django.core.management import call_command
from django_scopes import scopes_disabled

from backbone.models import Membership, Organization, Role
from initiatives.models import Initiative, ReadinessItem
from measures.models import DataPoint
from stakeholders.models import Contact


def test_seed_demo_makes_a_french_organization_with_french_people_and_data(db, capsys, client):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "coordination@riviere-du-nord.example" in out and "Collectif Rivière-du-Nord" in out
    with scopes_disabled():
        org = Organization.objects.get(slug="riviere-du-nord")
        assert (org.name, org.language) == ("Collectif Rivière-du-Nord", "fr")
        members = Membership.objects.filter(organization=org).select_related("user")
        assert {m.role for m in members} == set(Role)
        assert {m.user.language for m in members} == {"fr"}
        initiative = Initiative.objects.get(organization=org)
        assert initiative.name == "Table de concertation en sécurité alimentaire"
        # The readiness matrix every initiative starts with was written in French.
        assert ReadinessItem.objects.filter(
            initiative=initiative, text__startswith="Un noyau local"
        ).exists()
        assert DataPoint.objects.filter(
            indicator__initiative=initiative, status=DataPoint.Status.SUBMITTED
        ).exists()
        languages = set(Contact.objects.filter(organization=org).values_list("language", flat=True))
        assert {"fr", "en", ""} <= languages
        first = (Organization.objects.count(), Initiative.objects.count(), Contact.objects.count())
    call_command("seed_demo")
    with scopes_disabled():
        again = (Organization.objects.count(), Initiative.objects.count(), Contact.objects.count())
    assert again == first

    client.post(
        "/accounts/login/",
        {"login": "coordination@riviere-du-nord.example", "password": "backbone-demo"},
    )
    home = client.get("/o/riviere-du-nord/").content.decode()
    assert "Vous êtes Coordonnateur ici." in home
    assert "4\u00a0955" in home  # the value waiting for approval, grouped the French way
