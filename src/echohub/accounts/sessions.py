"""Django's database sessions, read by the hot path.

Every signed-in request reads its session row first. Django's `db` store asks the ORM
(0.5 ms of CPU on the machine of docs/benchmarks.md); this store sends the same
question as SQL built once (`echohub.hotpath`, 0.1 ms). Same table, same encoding,
same expiry: sessions written by either store are read by both.
"""

from typing import Any

from django.contrib.sessions.backends.db import SessionStore as DatabaseStore
from django.utils import timezone

from echohub import hotpath


class SessionStore(DatabaseStore):
    def _get_session_from_db(self) -> Any:
        key = self.session_key
        found = key and hotpath.first(self.model, ("session_data", "expire_date"), session_key=key)
        if not key or not found or found["expire_date"] <= timezone.now():
            self._session_key = None
            return None
        return self.model(session_key=key, **found)
