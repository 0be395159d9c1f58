"""Coalesced broadcasts: the newest payload per key, sent once per short tick instead of once per change."""
from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from typing import Any

from game.extensions import socketio

log = logging.getLogger(__name__)


class Coalescer:
    """Keeps the newest payload per key (a team) and sends it `seconds` after the first change of a
    burst: a team voting 20 times within a tick gets one message to its 20 tablets, not 20.

    Per process: with the Redis message queue each process coalesces the changes it handled itself
    and its sends travel through the queue like any emit. Payloads carry a `version`; clients ignore
    an older one (static/js/team_views.js), so ticks of two processes may interleave safely.
    Timers are socketio background tasks and socketio.sleep: gevent, eventlet and threading alike."""

    def __init__(self, send: Callable[[Hashable, Any], None], version: Callable[[Any], int]):
        self._send, self._version = send, version
        self._pending: dict[Hashable, Any] = {}
        self._timed: set[Hashable] = set()
        self._lock = threading.Lock()

    def offer(self, key: Hashable, payload: Any, seconds: float) -> None:
        """Send `payload` within `seconds` (at once when seconds <= 0), unless a newer one replaces it."""
        if seconds <= 0:
            self._send(key, payload)
            return
        with self._lock:
            known = self._pending.get(key)
            if known is None or self._version(payload) >= self._version(known):
                self._pending[key] = payload
            if key in self._timed:
                return
            self._timed.add(key)
        socketio.start_background_task(self._later, key, seconds)

    def settle(self, key: Hashable, version: int) -> None:
        """A full view of `key` at `version` goes out now: a pending payload it already carries is
        dropped; a newer one (another request raced ahead) is sent first. Never waits for a tick."""
        with self._lock:
            payload = self._pending.pop(key, None)
        if payload is not None and self._version(payload) > version:
            self._send(key, payload)

    def pending(self, key: Hashable) -> Any:
        with self._lock:
            return self._pending.get(key)

    def _later(self, key: Hashable, seconds: float) -> None:
        socketio.sleep(seconds)
        with self._lock:
            self._timed.discard(key)
            payload = self._pending.pop(key, None)
        if payload is None:  # a full view went out meanwhile and carried it
            return
        try:
            self._send(key, payload)
        except Exception:  # a lost update is repaired by the next one or by the state on reconnect
            log.exception("coalesced send failed")
