"""Settings of `manage.py bench_http`: the project's own, plus a bare view to compare with
(`backbone.bench_urls`) and static files collected outside the tree. Never used outside
the benchmark."""

import os

from .settings import *  # noqa: F403
from .settings import STATIC_ROOT

ROOT_URLCONF = "backbone.bench_urls"
STATIC_ROOT = os.environ.get("BENCH_STATIC_ROOT", STATIC_ROOT)
