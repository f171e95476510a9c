import datetime as dt

import factory
from django.utils import timezone

from plans.newsletter_models import Delivery, Newsletter, NewsletterItem
from stakeholders.models import ConsentStatus

from ..factories import OrganizationFactory, ScopeFreeFactory
from ..stakeholders.factories import ContactFactory


class ConsentingContactFactory(ContactFactory):
    consent = ConsentStatus.GIVEN
    consent_changed_at = factory.LazyFunction(timezone.now)


class NewsletterFactory(ScopeFreeFactory):
    class Meta:
        model = Newsletter

    organization = factory.SubFactory(OrganizationFactory)
    subject = factory.Sequence(lambda n: f"Riverside this week #{n}")
    introduction = "Thank you to everyone who came to the community conversation."
    week_of = dt.date(2027, 3, 1)
    covers_from = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    covers_until = factory.LazyFunction(timezone.now)


class NewsletterItemFactory(ScopeFreeFactory):
    class Meta:
        model = NewsletterItem

    newsletter = factory.SubFactory(NewsletterFactory)
    organization = factory.SelfAttribute("newsletter.organization")
    kind = NewsletterItem.Kind.STORY
    title = "Maria's story: from the food bank line to the steering committee"
    body = "Maria joined the **listening team** last spring."
    url = "https://riverside.example/stories/maria"
    position = factory.Sequence(lambda n: n)


class DeliveryFactory(ScopeFreeFactory):
    class Meta:
        model = Delivery

    newsletter = factory.SubFactory(NewsletterFactory)
    organization = factory.SelfAttribute("newsletter.organization")
    contact = factory.SubFactory(
        ConsentingContactFactory, organization=factory.SelfAttribute("..organization")
    )
    email = factory.SelfAttribute("contact.email")
