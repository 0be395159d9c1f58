"""Who is connected: socket id -> seat or facilitator, per process; shared through Redis when
several processes serve the same rooms (so a team sees its players online on every process)."""
from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass

from game.play.common import Seat

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Connection:
    seat: Seat | None = None
    facilitator_id: int | None = None
    session_version: int = 0  # the login's version: an ended session's connection is refused (issue 17)


class SharedOnline:
    """This process's online players in a Redis hash that expires unless refreshed, so a killed
    process stops counting within TTL seconds; the union over all live processes is who is online."""

    # A killed process stops refreshing its hash: its players are offline for everyone after TTL seconds
    # at most (issue 17: within 10 s; the heartbeat refreshes every TTL / 3).
    TTL = 6
    CACHE_SECONDS = 1.0  # an online flag up to a second old is fine; a Redis round trip per vote is not

    def __init__(self, url: str, channel: str):
        import redis

        self._errors = (redis.RedisError, OSError)
        self._redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self._prefix = f"{channel}:online:"
        self.key = self._prefix + uuid.uuid4().hex
        self._cache: tuple[float, frozenset[int]] = (0.0, frozenset())

    def changed(self, player_id: int, delta: int) -> None:
        try:
            pipe = self._redis.pipeline()
            pipe.hincrby(self.key, str(player_id), delta)
            pipe.expire(self.key, self.TTL)
            count, _ = pipe.execute()
            if count <= 0:
                self._redis.hdel(self.key, str(player_id))
        except self._errors as exc:
            log.warning("presence not shared (Redis): %s", exc)
        self._cache = (0.0, frozenset())

    def refresh(self, local: Counter[int]) -> None:
        """Heartbeat: keep our hash alive, and rewrite it whole (Redis may have restarted empty)."""
        try:
            pipe = self._redis.pipeline()
            pipe.delete(self.key)
            if local:
                pipe.hset(self.key, mapping={str(k): v for k, v in local.items()})
                pipe.expire(self.key, self.TTL)
            pipe.execute()
        except self._errors as exc:
            log.warning("presence heartbeat failed (Redis): %s", exc)

    def online_ids(self, local: frozenset[int], fresh: bool = False) -> frozenset[int] | None:
        at, ids = self._cache
        if not fresh and time.monotonic() - at < self.CACHE_SECONDS:
            return ids | local
        try:
            found: set[int] = set()
            for key in self._redis.scan_iter(match=self._prefix + "*", count=200):
                found.update(int(k) for k in self._redis.hkeys(key))
        except self._errors as exc:
            log.warning("presence not shared (Redis): %s", exc)
            return None if fresh else local
        ids = frozenset(found)
        self._cache = (time.monotonic(), ids)
        return ids | local


# After a start, tablets need a few seconds to reconnect (the simulated tablets of the crash tests: < 5 s).
SETTLE_SECONDS = 15.0


class Presence:
    """Connections of this process; a player counts as online while any of their tabs is connected."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_sid: dict[str, Connection] = {}
        self._online: Counter[int] = Counter()
        self.shared: SharedOnline | None = None
        self._seen: frozenset[int] = frozenset()
        self._started = time.monotonic()
        self.settle_seconds = SETTLE_SECONDS

    def settled(self) -> bool:
        """Whether presence can be trusted yet: right after a (re)start nobody has reconnected, and "everyone
        present has voted" would be true for the first tablet back (every acknowledged vote is kept, but the
        others would find their vote closed). Until then the automatic reveal waits for every eligible player."""
        return time.monotonic() - self._started >= self.settle_seconds

    def present_for_reveal(self) -> frozenset[int]:
        """Who counts as present for the automatic reveal: the online players once settled; before, nobody
        (the rules then need every eligible player: game/play/turns.py cast_vote)."""
        return self.online_ids() if self.settled() else frozenset()

    def share_through(self, shared: SharedOnline | None) -> None:
        self.shared = shared

    def bind(self, sid: str, connection: Connection) -> None:
        with self._lock:
            self._drop(sid)
            self._by_sid[sid] = connection
            if connection.seat:
                self._online[connection.seat.player_id] += 1
        if connection.seat and self.shared:
            self.shared.changed(connection.seat.player_id, +1)

    def get(self, sid: str) -> Connection:
        return self._by_sid.get(sid, Connection())

    def unbind(self, sid: str) -> Connection:
        with self._lock:
            connection = self._drop(sid)
        if connection.seat and self.shared:
            self.shared.changed(connection.seat.player_id, -1)
        return connection

    def _drop(self, sid: str) -> Connection:
        connection = self._by_sid.pop(sid, Connection())
        if connection.seat:
            pid = connection.seat.player_id
            self._online[pid] -= 1
            if self._online[pid] <= 0:
                del self._online[pid]
        return connection

    def facilitator_sids(self, facilitator_id: int) -> list[str]:
        with self._lock:
            return [sid for sid, c in self._by_sid.items() if c.facilitator_id == facilitator_id]

    def local_ids(self) -> frozenset[int]:
        with self._lock:
            return frozenset(self._online)

    def online_ids(self) -> frozenset[int]:
        """Players online on any process (this one only, without a message queue)."""
        local = self.local_ids()
        return self.shared.online_ids(local) if self.shared else local

    def heartbeat(self) -> None:
        if self.shared:
            with self._lock:
                snapshot = Counter(self._online)
            self.shared.refresh(snapshot)

    def departed(self) -> frozenset[int]:
        """Players online (on some process) at the last call and gone now: a process died, or its
        connection to them did. Only with several processes; None of this runs without Redis."""
        if not self.shared:
            return frozenset()
        now = self.shared.online_ids(self.local_ids(), fresh=True)
        if now is None:  # Redis unreachable: say nothing rather than everyone left
            return frozenset()
        before, self._seen = self._seen, now
        return before - now


presence = Presence()


def announce_departures(db) -> int:  # noqa: ANN001
    """Tell the teams of players whose process died that they are offline (every surviving process does
    this on its heartbeat; a repeated snapshot is harmless). The rules for an absent player then apply:
    the vote needs only those present, the turn player may close it. Returns the teams told."""
    gone = presence.departed()
    if not gone:
        return 0
    from game.live.broadcast import publish
    from game.play.seats import presence_changed, seats_of

    teams = {seat.team_id: seat for seat in seats_of(db, gone)}
    online = presence.online_ids()
    from game.play.turns import reveal_if_complete

    for seat in teams.values():
        try:
            publish(presence_changed(db, seat, online), db)
            # Everyone still present may have voted already: the ballot is complete without the players of
            # the dead process, as after any disconnect (game/live/seat_events.py reveal_without).
            outcome = reveal_if_complete(db, seat.team_id, online)
            if outcome is not None:
                publish(outcome)
        except Exception:  # noqa: BLE001 - a room deleted meanwhile; presence is best effort
            log.warning("presence: team %s not told", seat.team_id)
    return len(teams)
