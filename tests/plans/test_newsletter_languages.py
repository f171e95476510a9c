"""Each contact reads the newsletter in their own language (default: the organization's):
recipients are grouped by language and the issue is rendered once per language."""

from django_scopes import scope, scopes_disabled

from plans.models import Delivery
from plans.services import delivery as deliveries
from plans.services import newsletter_links as links
from stakeholders.forms import ContactForm

from .factories import ConsentingContactFactory
from .test_newsletter_delivery import run_sending, send


def body_of(smtp_sink, address):
    [received] = smtp_sink.to(address)
    return received.message.get_body(("html",)).get_content()


def test_each_contact_gets_the_issue_in_their_language(world, issue, smtp_sink, monkeypatch):
    ConsentingContactFactory(organization=world.org, email="ada@example.org")
    ConsentingContactFactory(organization=world.org, email="zoe@example.org", language="fr")
    ConsentingContactFactory(organization=world.org, email="eve@example.org", language="en")
    rendered = []
    original = deliveries.IssueTemplate.__init__

    def counting(self, newsletter, language=None):
        rendered.append(language)
        original(self, newsletter, language)

    monkeypatch.setattr(deliveries.IssueTemplate, "__init__", counting)
    send(issue)
    run_sending(issue)
    assert "Unsubscribe" in body_of(smtp_sink, "ada@example.org")
    assert "Unsubscribe" in body_of(smtp_sink, "eve@example.org")
    french = body_of(smtp_sink, "zoe@example.org")
    assert "Se désabonner" in french and "Unsubscribe" not in french
    assert sorted(rendered) == ["en", "fr"]  # once per language, not per recipient


def test_a_french_organization_writes_to_its_contacts_in_french(world, issue, smtp_sink):
    world.org.language = "fr"
    world.org.save()
    ConsentingContactFactory(organization=world.org, email="ada@example.org")
    ConsentingContactFactory(organization=world.org, email="eve@example.org", language="en")
    send(issue)
    run_sending(issue)
    assert "Se désabonner" in body_of(smtp_sink, "ada@example.org")
    assert "Unsubscribe" in body_of(smtp_sink, "eve@example.org")


def test_the_contact_form_offers_the_organizations_language_first(world):
    with scope(organization=world.org):
        form = ContactForm(organization=world.org)
        assert [value for value, _ in form.fields["language"].choices] == ["", "en", "fr"]
        form = ContactForm(
            {"first_name": "Zoé", "sector": "community", "language": "fr"},
            organization=world.org,
        )
        assert form.is_valid(), form.errors
        assert form.cleaned_data["language"] == "fr"


def test_the_unsubscribe_and_preferences_pages_speak_the_contacts_language(world, issue, client):
    contact = ConsentingContactFactory(organization=world.org, language="fr")
    send(issue)
    run_sending(issue)
    with scopes_disabled():
        delivery = Delivery.objects.get(contact=contact)
    url = links.unsubscribe_url(delivery).removeprefix("http://127.0.0.1:8000")
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ne plus recevoir de nouvelles de Riverside Collective?" in page
    assert '<html lang="fr"' in page
    preferences = url.replace("/n/u/", "/n/p/")
    assert "Vos choix de bulletin" in client.get(preferences).content.decode()
