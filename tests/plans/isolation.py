"""How the isolation test makes this app's objects (see tests/test_isolation.py)."""

from .newsletter_factories import NewsletterFactory, NewsletterItemFactory

OBJECT_MAKERS = {
    "newsletter_id": lambda org: NewsletterFactory(organization=org).pk,
    "item_id": lambda org: NewsletterItemFactory(newsletter=NewsletterFactory(organization=org)).pk,
}
