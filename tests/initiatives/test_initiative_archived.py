"""An archived initiative stays readable and refuses every write, except Restore.

`tests/test_archived_initiatives.py` walks every URL of the apps that live in an initiative;
here: that the walk reaches each page of the initiative, and that every model of the app is
read-only with its initiative.
"""

from django.apps import apps

from initiatives.models import InInitiative

from ..test_archived_initiatives import RESTORE, URLS
from .test_initiative_permissions import READ_ONLY


def test_the_walk_covers_every_page_of_an_initiative():
    walked = {name for name, _ in URLS} | {RESTORE}
    assert (
        READ_ONLY - {"initiatives:index", "initiatives:actions_due", "initiatives:overview"}
        <= walked
    )
    assert {"initiatives:phase_change", "initiatives:archive", "initiatives:sponsor"} <= walked


def test_everything_in_an_initiative_is_read_only_with_it():
    # A new model of the app joins the rule by mixing in InInitiative (or, without an
    # initiative foreign key, by asking its parent), so that access(..., write=True) refuses it.
    app = apps.get_app_config("initiatives")
    silent = [m.__name__ for m in app.get_models() if not hasattr(m, "read_only_reason")]
    assert not silent
    in_initiative = [
        m for m in app.get_models() if "initiative" in {f.name for f in m._meta.fields}
    ]
    assert all(issubclass(m, InInitiative) for m in in_initiative)
