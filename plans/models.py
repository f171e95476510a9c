from .newsletter_models import Delivery, InitiativeOptOut, LinkClick, Newsletter, NewsletterItem

__all__ = ["Delivery", "InitiativeOptOut", "LinkClick", "Newsletter", "NewsletterItem"]
