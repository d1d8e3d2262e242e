"""Settings of the load test's server: the service's own, plus one floor page (bench/floor_urls.py)."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
