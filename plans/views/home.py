"""The organization's front page: each person's own work, by role."""

from django.shortcuts import render

from backbone.access import org_view

from ..selectors.home import home_sections


@org_view("organization.view")
def home(request):
    return render(request, "plans/home.html", {"sections": home_sections(request.membership)})
