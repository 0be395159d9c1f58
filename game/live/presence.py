"""Who is connected to this process: socket id -> seat or facilitator. In memory, per process."""
from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

from game.play.common import Seat


@dataclass(frozen=True)
class Connection:
    seat: Seat | None = None
    facilitator_id: int | None = None


class Presence:
    """Connections of this process; a player counts as online while any of their tabs is connected."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, Connection] = {}
        self._online: Counter[int] = Counter()

    def bind(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._drop(sid)
            self._by_sid[sid] = connection
            if connection.seat:
                self._online[connection.seat.player_id] += 1

    def get(self, sid: str) -> Connection:
        return self._by_sid.get(sid, Connection())

    def unbind(self, sid: str) -> Connection:
        with self._lock:
            return self._drop(sid)

    def _drop(self, sid: str) -> Connection:
        connection = self._by_sid.pop(sid, Connection())
        if connection.seat:
            pid = connection.seat.player_id
            self._online[pid] -= 1
            if self._online[pid] <= 0:
                del self._online[pid]
        return connection

    def online_ids(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._online)


presence = Presence()
