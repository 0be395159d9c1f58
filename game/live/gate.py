"""The flood gate in front of Socket.IO: every frame is counted before it is parsed or given a greenlet.

engine.io hands each received message to python-socketio in a new greenlet, which decodes the JSON and
only then reaches our handlers. A flooding client so used to cost every room: thousands of greenlets and
JSON decodes a second (issue 17). The gate sits where engine.io triggers the `message` event, before the
greenlet is spawned: a token bucket per connection and one per address (a venue behind one NAT shares
it, so it is sized for 60 tablets), a dict lookup each. A refused frame is dropped; the sender hears
`rate/limited` once per streak; a connection that keeps flooding is cut off and its address's handshakes
are throttled (`HandshakeThrottle`, a WSGI layer in front of engine.io). Frames python-socketio cannot
decode (bad JSON, nesting beyond the recursion limit, an object as event name) are counted the same
way and logged in one line, without a traceback. Numbers: docs/security.md, "Floods".
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class Bucket:
    tokens: float
    at: float
    streak: int = 0  # frames refused since the bucket last had a token


class Buckets:
    """Token buckets by key; thread-safe; idle ones are swept so memory stays bounded."""

    SWEEP_AT = 20_000

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic):
        self.rate, self.burst, self.clock = rate, burst, clock
        self._lock = threading.Lock()
        self._buckets: dict[str, Bucket] = {}

    def take(self, key: str, cost: float = 1.0) -> Bucket | None:
        """A token for `key` (None when there is none: refused)."""
        now = self.clock()
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is None:
                if len(self._buckets) >= self.SWEEP_AT:
                    self._sweep(now)
                bucket = self._buckets[key] = Bucket(float(self.burst), now)
            bucket.tokens = min(float(self.burst), bucket.tokens + (now - bucket.at) * self.rate)
            bucket.at = now
            if bucket.tokens >= cost:
                bucket.tokens -= cost
                bucket.streak = 0
                return bucket
            bucket.streak += 1
            return None

    def streak(self, key: str) -> int:
        bucket = self._buckets.get(key)
        return bucket.streak if bucket else 0

    def drain(self, key: str) -> None:
        """Empty a key's bucket (a flooder's address after its connection was cut off)."""
        with self._lock:
            self._buckets[key] = Bucket(0.0, self.clock())

    def forget(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)

    def _sweep(self, now: float) -> None:
        idle = self.burst / max(self.rate, 0.001) + 60
        for key in [k for k, b in self._buckets.items() if now - b.at > idle]:
            del self._buckets[key]


@dataclass
class GateSettings:
    per_connection_rate: float = 20.0     # events/s, sustained (a tablet sends a few a minute)
    per_connection_burst: float = 60.0
    per_address_rate: float = 100.0       # one venue's NAT: 60 tablets voting within a second or two
    per_address_burst: float = 600.0      # ... and reconnecting together after a restart
    cut_after: int = 200                  # frames refused in one streak before the connection is cut
    handshakes_per_second: float = 2.0    # new Socket.IO connections per address, sustained
    handshake_burst: float = 120.0        # 60 tablets reconnecting twice at once

    @classmethod
    def from_config(cls, config: dict) -> GateSettings:
        return cls(per_connection_rate=config.get("EVENTS_PER_SECOND", 20),
                   per_connection_burst=config.get("EVENTS_BURST", 60),
                   per_address_rate=config.get("EVENTS_PER_SECOND_PER_ADDRESS", 100),
                   per_address_burst=config.get("EVENTS_BURST_PER_ADDRESS", 600),
                   handshakes_per_second=config.get("HANDSHAKES_PER_SECOND", 2),
                   handshake_burst=config.get("HANDSHAKE_BURST", 120))


@dataclass
class Counters:
    refused: int = 0
    malformed: int = 0
    cut_off: int = 0
    handshakes_refused: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)


class FloodGate:
    """Installed on one python-socketio server (see `install`)."""

    def __init__(self, settings: GateSettings, refusal: Callable[[str], str]):
        self.settings = settings
        self.connections = Buckets(settings.per_connection_rate, settings.per_connection_burst)
        self.addresses = Buckets(settings.per_address_rate, settings.per_address_burst)
        self.handshakes = Buckets(settings.handshakes_per_second, settings.handshake_burst)
        self.address_of: dict[str, str] = {}
        self.counters = Counters()
        self._refusal = refusal  # eio sid -> the encoded Socket.IO `error` packet in the sender's language

    def allow(self, eio_sid: str) -> bool:
        """One frame of `eio_sid`: False = drop it (no parsing, no greenlet, no database)."""
        address = self.address_of.get(eio_sid, "?")
        if self.connections.take(eio_sid) is not None and self.addresses.take(address) is not None:
            return True
        self.counters.refused += 1
        return False

    def penalise(self, eio_sid: str, kind: str) -> None:
        """A malformed frame costs a whole burst's worth of tokens: a stream of them is cut off fast."""
        self.counters.malformed += 1
        self.counters.by_kind[kind] = self.counters.by_kind.get(kind, 0) + 1
        for _ in range(10):
            if self.connections.take(eio_sid) is None:
                break

    def forget(self, eio_sid: str) -> None:
        self.connections.forget(eio_sid)
        self.address_of.pop(eio_sid, None)


def install(server, gate: FloodGate) -> None:  # noqa: ANN001
    """Put `gate` in front of `server` (a python-socketio Server) and its engine.io server."""
    eio = server.eio
    trigger = eio._trigger_event
    handle_message = server._handle_eio_message

    def refuse(eio_sid: str) -> None:
        streak = gate.connections.streak(eio_sid) or 1
        if streak == 1:  # once per streak: the sender learns why, the flood costs no answers
            try:
                eio.send(eio_sid, gate._refusal(eio_sid))
            except Exception:  # noqa: BLE001 - the socket may be closing; telling is best effort
                pass
        if streak >= gate.settings.cut_after:
            gate.counters.cut_off += 1
            gate.handshakes.drain(gate.address_of.get(eio_sid, "?"))  # and its reconnects wait
            log.warning("connection cut off after %s refused frames (flooding)", streak)
            gate.forget(eio_sid)
            eio.start_background_task(eio.disconnect, eio_sid)

    def guarded_trigger(event: str, *args: object, **kwargs: object) -> object:
        if event == "message" and not gate.allow(args[0]):  # type: ignore[arg-type]
            refuse(args[0])  # type: ignore[arg-type]
            return None
        if event == "connect":
            gate.address_of[args[0]] = client_address(args[1])  # type: ignore[index, arg-type]
        elif event == "disconnect":
            gate.forget(args[0])  # type: ignore[arg-type]
        return trigger(event, *args, **kwargs)

    def tolerant_message(eio_sid: str, data: object) -> None:
        try:
            handle_message(eio_sid, data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, json.JSONDecodeError) as exc:
            kind = type(exc).__name__
            gate.penalise(eio_sid, kind)
            log.warning("malformed Socket.IO frame refused (%s, %s bytes)", kind, len(data) if hasattr(data, "__len__") else "?")
            refuse_now = gate.connections.streak(eio_sid) or 1
            if refuse_now == 1 or refuse_now >= gate.settings.cut_after:
                refuse(eio_sid)

    eio._trigger_event = guarded_trigger
    eio.handlers["message"] = tolerant_message
    server._handle_eio_message = tolerant_message


def client_address(environ: dict) -> str:
    """REMOTE_ADDR as ProxyFix left it (the client's, behind a trusted proxy); kept in memory only."""
    return str(environ.get("REMOTE_ADDR") or "?") if isinstance(environ, dict) else "?"


def error_packet(message: str) -> str:
    """A Socket.IO EVENT packet `error` for namespace "/" (engine.io adds its own message prefix)."""
    return "2" + json.dumps(["error", {"event": "*", "code": "rate/limited", "message": message}])


class HandshakeThrottle:
    """WSGI layer in front of engine.io: new Socket.IO connections per address, from a token bucket.
    A reconnecting flooder waits here (429) before engine.io or python-socketio do any work."""

    def __init__(self, wsgi_app, gate: FloodGate, path: str = "/socket.io"):  # noqa: ANN001
        self.wsgi_app, self.gate, self.path = wsgi_app, gate, path

    def __call__(self, environ: dict, start_response):  # noqa: ANN001, ANN204
        if environ.get("PATH_INFO", "").startswith(self.path) and "sid=" not in environ.get("QUERY_STRING", ""):
            if self.gate.handshakes.take(client_address(environ)) is None:
                self.gate.counters.handshakes_refused += 1
                start_response("429 Too Many Requests", [("Content-Type", "text/plain"), ("Retry-After", "5")])
                return [b"Too many connections from this network; wait a few seconds."]
        return self.wsgi_app(environ, start_response)
