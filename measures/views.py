from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backbone.access import org_view


@org_view("measures.view")
def index(request):
    return render(
        request,
        "components/placeholder.html",
        {
            "title": _("Shared measurement"),
            "blurb": _(
                "Indicators, reporting periods, partner data and its approval: everyone sees the same numbers."
            ),
        },
    )
