"""Data-due reminders: "data due" notifications to each partner user (mailed in their daily\ndigest by default), a weekly "who is late" mail to coordinators."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import partial

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from backbone.links import absolute_url, org_url
from backbone.mail import send_branded_text, staff_addresses
from backbone.models import Organization, Role
from backbone.notifications import Kind, notify
from stakeholders.models import PartnerMembership

from .models import LateSummarySent, ReminderSent
from .selectors import Owed, owed_by

DUE_SOON = dt.timedelta(days=7)
MORNING = 7  # reminders go out from this local hour on


def _due_soon_or_late(owed: list[Owed], today: dt.date) -> list[Owed]:
    return [o for o in owed if o.due <= today + DUE_SOON]


def _due_title(item: Owed, partner_name: str, today: dt.date) -> str:
    what = f"{item.indicator.name} ({item.indicator.initiative.name}), {item.period.key}"
    due = date_format(item.due, "DATE_FORMAT")
    if item.due < today:
        text = _("%(partner)s owes %(what)s: overdue, was due %(due)s")
        if item.status == "returned":
            text = _("%(partner)s owes %(what)s: returned, please correct (due %(due)s)")
    else:
        text = _("%(partner)s owes %(what)s: due %(due)s")
    return text % {"partner": partner_name, "what": what, "due": due}


def partner_reminders_send(*, organization: Organization, today: dt.date) -> int:
    """Notify each linked partner user of their requests due within 7 days or overdue
    (kind "data due": mailed in their daily digest unless they chose otherwise), leaving
    out any request they were already reminded of today. Returns the people notified."""
    links = list(
        PartnerMembership.objects.filter(organization=organization, membership__role=Role.PARTNER)
        .select_related("membership__user", "partner")
        .order_by("pk")
    )
    owed_by_partner: dict[int, list[Owed]] = defaultdict(list)
    partners = list({link.partner_id: link.partner for link in links}.values())
    for item in _due_soon_or_late(
        owed_by(partners, organization_id=organization.pk, today=today), today
    ):
        owed_by_partner[item.partner.pk].append(item)
    already = set(
        ReminderSent.objects.filter(organization=organization, sent_on=today).values_list(
            "user_id", "indicator_id", "partner_id", "period"
        )
    )
    notified = 0
    for link in links:
        user = link.membership.user
        items = [
            o
            for o in owed_by_partner.get(link.partner_id, [])
            if (user.pk, o.indicator.pk, link.partner_id, o.period.key) not in already
        ]
        if not items:
            continue
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [
                    ReminderSent(
                        organization=organization,
                        user=user,
                        indicator=o.indicator,
                        partner_id=link.partner_id,
                        period=o.period.key,
                        sent_on=today,
                    )
                    for o in items
                ]
            )
            for o in items:
                notify(
                    organization=organization,
                    recipients=[user],
                    kind=Kind.DATA_DUE,
                    key=f"data_due:{o.indicator.pk}:{link.partner_id}:{o.period.key}:{today}",
                    title=partial(_due_title, o, link.partner.name, today),
                    url=org_url(
                        organization, "measures:entry", initiative_id=o.indicator.initiative_id
                    )
                    + f"?period={o.period.key}",
                )
        notified += 1
    return notified


def late_summary_send(*, organization: Organization, today: dt.date) -> int:
    """Once a week, tell admins and coordinators which partners are late. Returns mails sent."""
    week_of = today - dt.timedelta(days=today.weekday())
    if LateSummarySent.objects.filter(organization=organization, week_of=week_of).exists():
        return 0
    late = [o for o in owed_by(None, organization_id=organization.pk, today=today) if o.due < today]
    LateSummarySent.objects.create(organization=organization, week_of=week_of)
    if not late:
        return 0
    by_partner: dict[str, list[Owed]] = defaultdict(list)
    for item in late:
        by_partner[item.partner.name].append(item)
    recipients = staff_addresses(organization)
    context = {
        "organization": organization,
        "by_partner": sorted(by_partner.items()),
        "url": absolute_url(org_url(organization, "measures:index")),
        "count": len(late),
    }
    for email, language in recipients:
        with translation.override(language):
            subject = _("Who is late with data: %(count)s requests from %(partners)s partners") % {
                "count": len(late),
                "partners": len(by_partner),
            }
            body = render_to_string("measures/email/late_summary.txt", context)
            send_branded_text(organization=organization, to=[email], subject=subject, text=body)
    return len(recipients)


def reminders_run(*, organization: Organization, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily job's work, in the organization's time zone: nothing before the morning,
    partner digests every day, the coordinators' summary on the newsletter weekday."""
    local = (now or timezone.now()).astimezone(organization.tzinfo)
    if local.hour < MORNING:
        return {"partners": 0, "coordinators": 0}
    today = local.date()
    with translation.override(organization.language):
        partners = partner_reminders_send(organization=organization, today=today)
        coordinators = 0
        if today.weekday() == organization.newsletter_weekday:
            coordinators = late_summary_send(organization=organization, today=today)
    return {"partners": partners, "coordinators": coordinators}
