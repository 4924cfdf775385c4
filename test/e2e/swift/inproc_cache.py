"""An in-process stand-in for Swift's memcache middleware: env['swift.cache'] is a dict with expiry, so the
one-process test cluster needs no memcached (tempauth keeps its tokens there, the proxy its account and
container info)."""

import time


class InProcessCache(object):
    """The subset of swift.common.memcached.MemcacheRing that the proxy and its middlewares call."""

    def __init__(self):
        self._data = {}

    def _live(self, key):
        item = self._data.get(key)
        if item is None:
            return None
        value, expires = item
        if expires and expires < time.time():
            del self._data[key]
            return None
        return item

    @staticmethod
    def _expiry(time_, kwargs):
        ttl = kwargs.get('time', time_) or 0
        return time.time() + ttl if ttl else 0

    def get(self, key, raise_on_error=False):
        item = self._live(key)
        return None if item is None else item[0]

    def set(self, key, value, serialize=True, time=0, min_compress_len=0, raise_on_error=False, **kwargs):
        self._data[key] = (value, self._expiry(time, kwargs))
        return True

    def incr(self, key, delta=1, time=0, **kwargs):
        item = self._live(key)
        value = int(item[0]) + delta if item else delta
        self._data[key] = (max(value, 0), self._expiry(time, kwargs))
        return max(value, 0)

    def decr(self, key, delta=1, time=0, **kwargs):
        return self.incr(key, -delta, time, **kwargs)

    def delete(self, key, server_key=None, **kwargs):
        self._data.pop(key, None)

    def get_multi(self, keys, server_key, raise_on_error=False):
        return [self.get(key) for key in keys]

    def set_multi(self, mapping, server_key, serialize=True, time=0, min_compress_len=0, **kwargs):
        for key, value in mapping.items():
            self.set(key, value, time=time)


class CacheMiddleware(object):
    def __init__(self, app, cache):
        self.app = app
        self.cache = cache

    def __call__(self, env, start_response):
        env['swift.cache'] = self.cache
        return self.app(env, start_response)


def filter_factory(global_conf, **local_conf):
    cache = InProcessCache()
    return lambda app: CacheMiddleware(app, cache)
