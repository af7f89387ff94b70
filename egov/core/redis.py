"""One Redis client (and connection pool) per process for the code that talks to Redis directly."""

import functools


@functools.cache
def redis_client(url: str):
    """A client for `url`, made once per process: a new client per call opens a connection and reads the
    package metadata each time, which cost more than the command it was made for."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
