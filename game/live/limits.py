"""Per-connection flood control for Socket.IO events: a token bucket per socket id.

A tablet sends a handful of events a minute; a connection that sends more than EVENTS_BURST at once,
or more than EVENTS_PER_SECOND for long, gets `rate/limited` refusals that cost the server a dict
lookup and no database work, so one flooding client cannot slow other rooms. A connection that keeps
flooding — DISCONNECT_AFTER refusals before its bucket has refilled halfway — is disconnected.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from collections.abc import Iterator
from dataclasses import dataclass

from flask import current_app, request
from flask_socketio import disconnect
from sqlalchemy.exc import InterfaceError, OperationalError

from game import security
from game.rules.errors import RuleViolation

DISCONNECT_AFTER = 500  # refusals while flooding
# The database went away under a use case that does not retry by itself: the transaction rolled back.
DATABASE_DOWN = (OperationalError, InterfaceError)


def unavailable() -> RuleViolation:
    return RuleViolation("server/unavailable", "The database cannot be reached right now; please try again.")


@dataclass
class Bucket:
    tokens: float
    at: float
    refused: int = 0        # refusals since the connection was last calm
    allowed: bool = True    # whether the last event got a token


class EventLimiter:
    """Token buckets keyed by socket id. Thread-safe; idle buckets are swept, so memory stays bounded."""

    SWEEP_AT = 5_000

    def __init__(self, rate: float, burst: int, clock=time.monotonic):  # noqa: ANN001
        self.rate, self.burst, self.clock = rate, burst, clock
        self._lock = threading.Lock()
        self._buckets: dict[str, Bucket] = {}
        self.refused_total = 0

    def allow(self, sid: str) -> Bucket:
        """Take a token for one event; the bucket says whether there was one (`allowed`)."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(sid)
            if bucket is None:
                if len(self._buckets) >= self.SWEEP_AT:
                    self._sweep(now)
                bucket = self._buckets[sid] = Bucket(tokens=float(self.burst), at=now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            bucket.allowed = bucket.tokens >= 1.0
            if bucket.allowed:
                bucket.tokens -= 1.0
                # Calm again only once the bucket has refilled halfway: a flood that keeps it near empty
                # (one token every 50 ms) must not reset the count and so escape the disconnect.
                if bucket.tokens >= self.burst / 2:
                    bucket.refused = 0
            else:
                bucket.refused += 1
                self.refused_total += 1
            return bucket

    def _sweep(self, now: float) -> None:
        """Drop buckets idle long enough to be full again: their sockets are probably gone."""
        idle = self.burst / max(self.rate, 0.001) + 60
        for sid in [s for s, b in self._buckets.items() if now - b.at > idle]:
            del self._buckets[sid]

    def forget(self, sid: str) -> None:
        with self._lock:
            self._buckets.pop(sid, None)

    def __len__(self) -> int:
        return len(self._buckets)


def limiter() -> EventLimiter | None:
    """This app's limiter (created on first use, from the app's settings). Always on in a server;
    test apps (TESTING) that fire hundreds of events per connection switch it on with EVENT_RATE_LIMIT."""
    ext = current_app.extensions
    if "inzetspel.event_limiter" not in ext:
        enabled = current_app.config.get("EVENT_RATE_LIMIT", not current_app.testing)
        ext["inzetspel.event_limiter"] = EventLimiter(current_app.config.get("EVENTS_PER_SECOND", 20),
                                                      current_app.config.get("EVENTS_BURST", 60)) if enabled else None
    return ext["inzetspel.event_limiter"]


def check_event() -> None:
    """Called first for every client event: refuses (and in the end disconnects) a flooding connection."""
    if limiter() is None:
        return
    bucket = limiter().allow(request.sid)
    if not bucket.allowed:
        if bucket.refused >= DISCONNECT_AFTER:
            limiter().forget(request.sid)
            disconnect()
        raise RuleViolation("rate/limited", "Too many messages at once; wait a moment.")


@contextmanager
def join_attempt(code: str) -> Iterator[None]:
    """take_seat: wrong codes count per client and per address, a code known to be right gets through
    (the venue policy in game/security.py)."""
    with security.join_attempt(security.client_ip(), security.client_key(), code):
        yield
