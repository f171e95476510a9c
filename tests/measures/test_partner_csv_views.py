"""A partner's CSV of its own values, through the pages: template → upload → preview →
submit → the coordinator's approval queue; bad files; who may; queries per preview."""

import csv
import io
import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from measures.models import DataPoint, DataRequest
from stakeholders.importing import PREVIEW_ROWS
from stakeholders.models import ImportBatch

from ..factories import MembershipFactory, UserFactory
from ..stakeholders.factories import PartnerFactory, PartnerMembershipFactory
from .factories import DataPointFactory, DataRequestFactory, IndicatorFactory

PERIOD = "2026-Q3"
HEADER = "indicator,partner,period,disaggregation,value,comment\n"


def url(name, world, measures, **kwargs):
    return reverse(
        f"measures:{name}",
        kwargs={"org_slug": world.org.slug, "initiative_id": measures.initiative.pk, **kwargs},
    )


def upload(client, world, measures, text, period=PERIOD):
    """Upload a file; a readable one is followed to its preview."""
    file = SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")
    return client.post(
        url("entry_upload", world, measures), {"file": file, "period": period}, follow=True
    )


def latest_batch():
    with scopes_disabled():
        return ImportBatch.objects.latest("created_at")


def confirm(client, world, measures, action):
    token = latest_batch().token
    return client.post(
        url("entry_upload_confirm", world, measures, batch_token=token), {"action": action}
    )


def test_round_trip_template_fill_upload_preview_submit_and_the_queue(world, measures, login):
    ages = IndicatorFactory(
        initiative=measures.initiative,
        name="Hampers given",
        disaggregation={"Age group": ["0–17", "18+"]},
    )
    DataRequestFactory(indicator=ages, partner=measures.food_bank)
    client = login(world.partner)
    entry = client.get(url("entry", world, measures) + f"?period={PERIOD}").content.decode()
    assert url("entry_upload", world, measures) + f"?period={PERIOD}" in entry

    response = client.get(url("entry_template", world, measures) + f"?period={PERIOD}")
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert table[0] == ["indicator", "partner", "period", "disaggregation", "value", "comment"]
    assert [r[:4] for r in table[1:]] == [
        ["Hampers given", "Riverside Food Bank", PERIOD, ""],
        ["Hampers given", "Riverside Food Bank", PERIOD, "Age group: 0–17"],
        ["Hampers given", "Riverside Food Bank", PERIOD, "Age group: 18+"],
        ["Households using the food bank", "Riverside Food Bank", PERIOD, ""],
    ]
    for line, value in zip(table[1:], ["1,200", "500", "700", "3400"], strict=True):
        line[4] = value
    filled = io.StringIO()
    csv.writer(filled).writerows(table)

    preview = upload(client, world, measures, filled.getvalue())
    page = preview.content.decode()
    assert preview.redirect_chain[-1][0].endswith(f"/upload/{latest_batch().token}/")
    assert "Submit 4 values for approval" in page
    with scopes_disabled():
        assert not DataPoint.objects.exists()  # the preview saves nothing

    response = confirm(client, world, measures, "submit")
    assert response.status_code == 302
    with scopes_disabled():
        saved = sorted(DataPoint.objects.values_list("cell", "value", "status", "partner"))
        assert latest_batch().status == ImportBatch.Status.APPLIED
    assert saved == [
        ("", Decimal("1200"), "submitted", measures.food_bank.pk),
        ("", Decimal("3400"), "submitted", measures.food_bank.pk),
        ("Age group: 0–17", Decimal("500"), "submitted", measures.food_bank.pk),
        ("Age group: 18+", Decimal("700"), "submitted", measures.food_bank.pk),
    ]
    queue = login(world.coordinator).get(reverse("measures:approvals", args=[world.org.slug]))
    assert queue.content.decode().count('name="points"') == 4
    # A preview is confirmed once.
    again = confirm(client, world, measures, "submit")
    assert again.status_code == 302
    with scopes_disabled():
        assert DataPoint.objects.filter(status="submitted").count() == 4


def test_save_as_draft_keeps_drafts_and_never_approves(world, measures, login):
    client = login(world.partner)
    upload(
        client,
        world,
        measures,
        HEADER + f"Households using the food bank,Riverside Food Bank,{PERIOD},,3400,\n",
    )
    confirm(client, world, measures, "draft")
    with scopes_disabled():
        assert list(DataPoint.objects.values_list("value", "status")) == [
            (Decimal("3400"), "draft")
        ]


def test_bad_rows_are_row_errors_and_nothing_can_be_saved(world, measures, login):
    hampers = IndicatorFactory(initiative=measures.initiative, name="Hampers given")
    DataRequestFactory(indicator=hampers, partner=measures.food_bank)
    client = login(world.partner)
    name = "Households using the food bank"
    text = HEADER + (
        f"{name},Riverside Food Bank,{PERIOD},,3400,,surplus\n"
        f"{name},City of Riverside Social Services,{PERIOD},,10,\n"
        f"{name},Riverside Food Bank,2027-Q1,,10,\n"
        f"Hampers given,Riverside Food Bank,{PERIOD},,12.5,\n"
    )
    page = upload(client, world, measures, text).content.decode()
    assert "4 rows have problems" in page
    for message in (
        "This row has more cells than the file has columns",
        "This file is for Riverside Food Bank only.",
        "This file is for 2026-Q3 only",
        "This is a count: enter a whole number",
        "The same value appears twice in the file.",
    ):
        assert message in page, message
    assert "for approval</button>" not in page
    response = confirm(client, world, measures, "submit")
    assert response.status_code == 302
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_a_future_periods_upload_is_a_row_error(world, measures, login):
    client = login(world.partner)
    text = HEADER + "Households using the food bank,Riverside Food Bank,2027-Q1,,10,\n"
    page = upload(client, world, measures, text, period="2027-Q1").content.decode()
    assert "2027-Q1 has not started yet; enter its values once it has." in page


def test_only_the_partners_own_users_reach_its_upload(world, measures, login):
    partner = login(world.partner)
    upload(
        partner,
        world,
        measures,
        HEADER + f"Households using the food bank,Riverside Food Bank,{PERIOD},,1,\n",
    )
    token = latest_batch().token
    preview = url("entry_upload_preview", world, measures, batch_token=token)
    assert partner.get(preview).status_code == 200
    # A user of another partner of the same organization: 404 on the preview and confirm.
    other = PartnerFactory(organization=world.org, name="Elsewhere")
    stranger = MembershipFactory(
        user=UserFactory(email="p2@riverside.test"), organization=world.org, role="partner"
    )
    PartnerMembershipFactory(membership=stranger, partner=other)
    client = login(stranger.user)
    assert client.get(preview).status_code == 404
    assert client.post(preview + "confirm/", {"action": "submit"}).status_code == 404
    # Staff keep their own import: the partner's pages are not theirs.
    template = url("entry_template", world, measures) + f"?period={PERIOD}"
    assert login(world.coordinator).get(template).status_code == 404
    assert login(world.coordinator).get(preview).status_code == 404
    with scopes_disabled():
        assert not DataPoint.objects.exists()


def test_the_preview_runs_the_same_queries_whatever_the_files_size(world, measures, login):
    client = login(world.partner)
    counts = []
    for size in (1, PREVIEW_ROWS + 50):
        name = "Households using the food bank"
        rows = [f"{name},Riverside Food Bank,{PERIOD},,{n},\n" for n in range(size)]
        upload(client, world, measures, HEADER + "".join(rows))
        preview = url("entry_upload_preview", world, measures, batch_token=latest_batch().token)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(preview)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert "50 more rows are not listed here" in response.content.decode()


def test_without_a_period_the_upload_offers_the_periods_owed(world, measures, login):
    client = login(world.partner)
    response = client.get(url("entry_upload", world, measures))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose one of the periods you owe" in page
    # A standing quarterly request since January 2025, on 14 October 2026: seven quarters.
    owed = re.findall(r'enter/upload/\?period=(\d{4}-Q\d)"', page)
    assert owed == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    assert "overdue since" in page


def test_without_a_period_the_one_period_owed_is_taken(world, measures, login):
    for period in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"):
        DataPointFactory(
            indicator=measures.indicator,
            partner=measures.food_bank,
            period=period,
            status=DataPoint.Status.SUBMITTED,
        )
    response = login(world.partner).get(url("entry_upload", world, measures))
    assert response.status_code == 302
    assert response["Location"] == url("entry_upload", world, measures) + "?period=2026-Q3"


def test_without_a_period_nothing_owed_is_said_not_404(world, measures, login):
    with scopes_disabled():
        DataRequest.objects.filter(partner=measures.food_bank).delete()
    response = login(world.partner).get(url("entry_upload", world, measures))
    assert response.status_code == 200
    assert "Nothing is owed for this initiative now." in response.content.decode()
    assert login(world.coordinator).get(url("entry_upload", world, measures)).status_code == 404
