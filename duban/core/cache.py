"""The cache every worker shares when there is no Redis: Django's database cache, with a counter
that two workers cannot both increment from the same value.

Django's `DatabaseCache.incr` reads the value and writes it back (two workers counting at once lose
a hit) and resets the key's expiry to the default timeout (a counter for an hour would vanish
after five minutes of quiet). Here `incr` reads and writes in one transaction with the row locked
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the transaction takes the write lock as it begins)
and keeps the expiry. The rate limits (`duban.core.throttle`) count this way."""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table, column_key, column_value = quote(self._table), quote("cache_key"), quote("value")
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column_value} FROM {table} WHERE {column_key} = %s AND {quote('expires')} >= %s{lock}",  # noqa: S608 - our own table
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta  # noqa: S301 - written by this cache
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {column_value} = %s WHERE {column_key} = %s", [encoded, key])  # noqa: S608
        return value
