"""The Redis cache backend (`CACHES["default"]` with REDIS_URL): Django's own, keeping one
client per connection pool. Django builds a new `redis.Redis` for every cache operation,
registering its ~170 response callbacks each time: 100 µs of the 250 µs a session read
costs, on every request. A client holds nothing but its pool and is safe across threads."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingClient
