"""An archived initiative stays readable and refuses every write, on every URL of every
app whose objects live in an initiative — its own pages, its measures, its plan, its
report cards — except Restore.

The walk takes every URL of those namespaces that carries an object id, makes the objects
with the isolation makers (each belongs to an initiative of the world's organization, or
to nothing initiative-bound), archives every initiative of the organization, and asks as
a coordinator, who may write anywhere else. A new URL joins the walk by itself.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from initiatives.models import Initiative

from .test_isolation import OBJECT_MAKERS, organization_urls

NAMESPACES = {"initiatives", "measures", "plans"}
# The one write an archived initiative takes: it comes back.
RESTORE = "initiatives:archive"
# Pages that only read: a POST changes nothing and shows the page again (200).
READ_PAGES = {
    "measures:agreement_detail",
    "measures:dashboard",
    "measures:data_point",
    "measures:export",
    "measures:indicator_chart",
    "measures:indicator_detail",
    "plans:compare",
    "plans:plan_detail",
    "plans:version_detail",
    "plans:report_card_list",
    "plans:report_card_detail",
}
# POSTs that read: asking for the PDF of what is there changes nothing in the initiative
# (an adopted plan stays downloadable once archived); checking a typed value saves nothing;
# copying an indicator out of an archived initiative writes only into the open one chosen.
READS_BY_POST = {
    "plans:pdf",
    "plans:report_card_pdf",
    "plans:handover",
    "measures:entry_check",
    "measures:indicator_copy",
}
# GETs that answer otherwise for a reason of their own: no PDF or photo was made (404); the
# import preview maker makes a registry import, not one of this initiative's values (404);
# the PDF state outside htmx sends to the report card (302).
GET_ANSWERS = {
    "plans:pdf_download": 404,
    "plans:report_card_pdf_download": 404,
    "plans:handover_download": 404,  # the maker's report is not made yet
    "measures:import_preview": 404,
    # A partner's CSV pages are its users' alone (the walk signs in staff): 404.
    "measures:entry_template": 404,
    "measures:entry_upload": 404,
    "measures:entry_upload_preview": 404,
    "plans:report_card_pdf": 302,
    "initiatives:story_photo": 404,  # the maker's story has no photo
    "measures:agreement_document": 404,  # nor the maker's agreement a document
    # The confirmation of a removal is already the write's first step: refused while archived.
    "initiatives:commitment_remove": 403,
    "initiatives:participation_remove": 403,
}

URLS = sorted(
    (name, kwargs)
    for name, kwargs in organization_urls()
    if name.split(":")[0] in NAMESPACES and kwargs and name != RESTORE
)


def archived_url(world, name: str, kwargs: list[str]) -> str:
    """The URL with objects of the world's organization, all of whose initiatives are archived."""
    values = {k: OBJECT_MAKERS[k](world.org) for k in kwargs}
    with scopes_disabled():
        Initiative.objects.filter(organization=world.org).update(archived_at=timezone.now())
    return reverse(name, kwargs={"org_slug": world.org.slug, **values})


def test_the_walk_reaches_each_app_of_an_initiative():
    walked = {name.split(":")[0] for name, _ in URLS}
    assert walked == NAMESPACES


@pytest.mark.parametrize(("name", "kwargs"), URLS, ids=[n for n, _ in URLS])
def test_an_archived_initiative_is_read_but_not_written(world, login, name, kwargs):
    client = login(world.coordinator)
    url = archived_url(world, name, kwargs)
    get = client.get(url).status_code
    # 405: a URL that only takes POST
    assert get in ({GET_ANSWERS[name]} if name in GET_ANSWERS else {200, 405}), (url, get)
    if name in READS_BY_POST or get == 404:
        return
    post = client.post(url).status_code
    assert post == (200 if name in READ_PAGES else 403), (url, post)


def test_restore_is_the_one_write_an_archived_initiative_takes(world, login):
    client = login(world.coordinator)
    url = archived_url(world, RESTORE, ["initiative_id"])
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    with scopes_disabled():
        assert not Initiative.objects.filter(organization=world.org, archived_at__isnull=False)
