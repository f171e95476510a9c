from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backbone.access import org_view


@org_view("plans.view")
def index(request):
    return render(
        request,
        "components/placeholder.html",
        {
            "title": _("Plans and report cards"),
            "blurb": _(
                "The common agenda, its adopted versions, report cards for the roundtable, and the weekly newsletter."
            ),
        },
    )
