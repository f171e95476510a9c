from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from backbone.access import org_view


@org_view("initiatives.view")
def index(request):
    return render(
        request,
        "components/placeholder.html",
        {
            "title": _("Initiatives"),
            "blurb": _(
                "Each collective impact initiative through its four phases: readiness, deliverables, the joint plan of action, governance, risks and funding."
            ),
        },
    )
