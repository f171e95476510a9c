"""The organization's front page: each person's own work, by role."""

from django.shortcuts import render

from backbone.access import org_view

from ..home_cache import cached_home_sections


@org_view("organization.view")
def home(request):
    return render(
        request, "plans/home.html", {"sections": cached_home_sections(request.membership)}
    )
