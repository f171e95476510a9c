"""Uploads and rendered PDFs in an S3-compatible object store (moto's server on loopback)."""

import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import FileField
from django.db.models.fields.files import FieldFile
from django_scopes import scope
from pypdf import PdfReader

from backbone.files import file_response
from plans.services import plan as plan_services

from ..initiatives.factories import InitiativeFactory
from ..plans.factories import draft_of, started_plan
from .s3 import bucket_create, s3_client, s3_server, s3_storages

BASE = "/o/riverside/plans"


@pytest.fixture(scope="module")
def s3_endpoint():
    with s3_server() as endpoint:
        yield endpoint


@pytest.fixture
def bucket(settings, s3_endpoint):
    name = f"backbone-{uuid.uuid4().hex[:12]}"
    bucket_create(s3_endpoint, name)
    settings.STORAGES = s3_storages(s3_endpoint, name)
    return name


def test_a_plan_pdf_is_kept_in_the_bucket_and_streamed_through_the_permission_check(
    world, login, bucket, s3_endpoint, settings, django_capture_on_commit_callbacks
):
    version = draft_of(started_plan(InitiativeFactory(organization=world.org, name="Early Years")))
    with scope(organization=world.org):
        plan_services.section_update(version=version, key="change", body="Ready for school.")
    client = login(world.roundtable)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}/versions/{version.pk}/pdf/", HTTP_HX_REQUEST="true")

    keys = [o["Key"] for o in s3_client(s3_endpoint).list_objects_v2(Bucket=bucket)["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("plans/pdf/")
    assert not (settings.MEDIA_ROOT).exists()  # nothing on the node's disk

    download = client.get(f"{BASE}/versions/{version.pk}/pdf/download/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"]
    assert "Location" not in download  # streamed: no presigned URL leaves the check
    reader = PdfReader(io.BytesIO(b"".join(download.streaming_content)))
    assert "Ready for school." in "\n".join(page.extract_text() for page in reader.pages)
    # Another organization's admin gets a 404, not the object.
    assert (
        login(world.outsider).get(f"{BASE}/versions/{version.pk}/pdf/download/").status_code == 404
    )


def test_objects_are_private_and_never_handed_to_a_sendfile_header(bucket, s3_endpoint, settings):
    name = default_storage.save("stories/photo.txt", ContentFile(b"secret"))
    acl = s3_client(s3_endpoint).get_object_acl(Bucket=bucket, Key=name)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]
    assert all(g["Grantee"].get("URI") is None for g in acl["Grants"])  # no AllUsers grant
    # X-Accel-Redirect names a local path: with the object store, Django streams instead.
    settings.SENDFILE_HEADER = "X-Accel-Redirect"
    response = file_response(FieldFile(None, FileField(storage=default_storage), name))
    assert "X-Accel-Redirect" not in response
    assert b"".join(response.streaming_content) == b"secret"
