"""The project's URLs plus the bare view `bench_http` measures every page against."""

from django.http import HttpResponse
from django.urls import path

from .urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *project_urlpatterns]
