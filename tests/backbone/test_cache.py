"""The Redis cache keeps one client per connection pool instead of Django's one per
operation, and reads and writes as Django's does."""

import os

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from backbone.cache import RedisCache


def test_every_operation_uses_the_pools_one_client():
    client = RedisCache("redis://127.0.0.1:6379/15", {})._cache  # nothing connects yet
    first = client.get_client("a")
    assert client.get_client("b") is first
    assert client.get_client("c", write=True) is first  # one server: one pool for both
    assert first.connection_pool is client._get_connection_pool(write=False)
    django = DjangoRedisCache("redis://127.0.0.1:6379/15", {})._cache
    assert django.get_client("a") is not django.get_client("a")  # what it saves


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs REDIS_URL (CI starts Redis)")
def test_it_reads_and_writes_as_djangos_backend():
    ours = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "cache-test"})
    django = DjangoRedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "cache-test"})
    ours.set("k", {"a": [1, 2]}, 30)
    assert django.get("k") == {"a": [1, 2]}
    django.set("n", 1, 30)
    assert ours.incr("n") == 2 and ours.get_many(["k", "n"]) == {"k": {"a": [1, 2]}, "n": 2}
    ours.delete_many(["k", "n"])
    assert django.get("k") is None and ours.get("n") is None
