"""The pages of shared measurement, one module per noun (see measures/urls.py)."""

from backbone.access import access

from .. import selectors


def access_measured_initiative(request, initiative_id, *, write: bool = False):
    """The initiative a measures page is about, as this member may reach it (else 404)."""
    return access(
        request, selectors.measured_initiatives(request.membership), pk=initiative_id, write=write
    )


def access_indicator(request, indicator_id, *, write: bool = False):
    """The indicator a page is about, as this member may see it (else 404)."""
    return access(
        request, selectors.indicators_visible_to(request.membership), pk=indicator_id, write=write
    )
