"""Settings of `manage.py bench_http`: the project's own, plus a bare view to compare with
(`backbone.bench_urls`). Never used outside the benchmark."""

from .settings import *  # noqa: F403

ROOT_URLCONF = "backbone.bench_urls"
