from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backbone.access import org_view


@org_view("stakeholders.view")
def index(request):
    return render(
        request,
        "components/placeholder.html",
        {
            "title": _("Stakeholders"),
            "blurb": _(
                "The registry of partners and people: who is at the table, across sectors, and how engaged each is."
            ),
        },
    )
