"""The core's part of the transition pack: an admin builds and downloads the organization's
archive; the admin role is offered, asked about first, accepted by the new person, and
both steps are kept."""

import io
import json
import re
import zipfile

from django.urls import reverse
from django_scopes import scopes_disabled

from backbone.models import AdminTransfer, Membership, Notification, OrganizationArchive, Role


def url(world, name, **kwargs):
    return reverse(name, kwargs={"org_slug": world.org.slug, **kwargs})


def test_an_admin_builds_the_archive_in_a_job_and_downloads_it(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(world, "archives"))
    assert response.status_code == 302
    with scopes_disabled():
        archive = OrganizationArchive.objects.get(organization=world.org)
    assert archive.status == OrganizationArchive.Status.READY and archive.rows > 0
    page = client.get(url(world, "archives")).text
    download = url(world, "archive_download", archive_id=archive.pk)
    assert download in page
    response = client.get(download)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(body)) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        people = json.loads(zipped.read("people.json"))
    assert manifest["organization"] == "riverside"
    assert world.coordinator.email in people and world.outsider.email not in people


def test_only_admins_reach_the_archive(world, login):
    for user in (world.coordinator, world.partner, world.roundtable):
        assert login(user).get(url(world, "archives")).status_code == 403
        assert login(user).post(url(world, "archives")).status_code == 403


def _offer(world, client, to, keep_admin=False):
    data = {"to": world.membership(to).pk, "note": "Over to you"}
    if keep_admin:
        data["keep_admin"] = "on"
    asked = client.post(url(world, "admin_transfers"), data)
    return asked, client.post(url(world, "admin_transfers"), {**data, "confirmed": "on"})


def test_the_admin_is_asked_first_and_the_new_admin_accepts(world, login):
    admin = login(world.admin)
    asked, sent = _offer(world, admin, world.coordinator)
    assert asked.status_code == 200 and "Offer the admin role to" in asked.text
    assert "You become a coordinator" in asked.text
    assert sent.status_code == 302
    with scopes_disabled():
        transfer = AdminTransfer.objects.get(organization=world.org)
        assert Notification.objects.filter(user=world.coordinator, kind="admin_transfer").exists()
    assert world.membership(world.coordinator).role == Role.COORDINATOR  # not before accepting
    page = url(world, "admin_transfer", transfer_id=transfer.pk)
    newcomer = login(world.coordinator)
    assert "What accepting does" in newcomer.get(page).text
    newcomer.post(
        url(world, "admin_transfer_answer", transfer_id=transfer.pk), {"answer": "accept"}
    )
    assert world.membership(world.coordinator).role == Role.ADMIN
    assert world.membership(world.admin).role == Role.COORDINATOR  # as chosen
    transfer.refresh_from_db()
    assert transfer.offered_at <= transfer.accepted_at
    trail = login(world.coordinator).get(url(world, "admin_transfers")).text
    assert re.search(r"offered the admin role to .*accepted on", trail, re.S)


def test_the_admin_may_keep_the_role_and_an_offer_is_answered_once(world, login):
    _offer(world, login(world.admin), world.roundtable, keep_admin=True)
    with scopes_disabled():
        transfer = AdminTransfer.objects.get(organization=world.org)
    answer = url(world, "admin_transfer_answer", transfer_id=transfer.pk)
    login(world.roundtable).post(answer, {"answer": "accept"})
    assert world.membership(world.admin).role == Role.ADMIN
    assert world.membership(world.roundtable).role == Role.ADMIN
    again = login(world.roundtable).post(answer, {"answer": "decline"}, follow=True)
    assert "already answered" in again.text
    transfer.refresh_from_db()
    assert transfer.declined_at is None


def test_only_the_person_offered_may_answer_and_others_get_404(world, login):
    _offer(world, login(world.admin), world.coordinator)
    with scopes_disabled():
        transfer = AdminTransfer.objects.get(organization=world.org)
    page = url(world, "admin_transfer", transfer_id=transfer.pk)
    answer = url(world, "admin_transfer_answer", transfer_id=transfer.pk)
    assert login(world.roundtable).get(page).status_code == 404
    assert login(world.roundtable).post(answer, {"answer": "accept"}).status_code == 404
    assert login(world.coordinator).get(url(world, "admin_transfers")).status_code == 403
    # The admin who offered cannot accept in their place.
    login(world.admin).post(answer, {"answer": "accept"})
    assert world.membership(world.coordinator).role == Role.COORDINATOR
    login(world.admin).post(answer, {"answer": "cancel"})
    transfer.refresh_from_db()
    assert transfer.cancelled_at is not None


def test_an_admin_cannot_be_offered_the_role_again(world, login):
    Membership.objects.filter(user=world.coordinator).update(role=Role.ADMIN)
    response = login(world.admin).post(
        url(world, "admin_transfers"), {"to": world.membership(world.coordinator).pk}
    )
    assert response.status_code == 422
