"""The flood gate in front of Socket.IO: every frame is counted before it is parsed or given a greenlet.

engine.io hands each received message to python-socketio in a new greenlet, which decodes the JSON and
only then reaches our handlers. A flooding client so used to cost every room: thousands of greenlets and
JSON decodes a second (issue 17). The gate sits where engine.io triggers the `message` event, before the
greenlet is spawned: a token bucket per connection and one per address (a venue behind one NAT shares
it, so it is sized for 60 tablets), a dict lookup each. A refused frame is dropped; the sender hears
`rate/limited` once per streak; a connection that keeps flooding is cut off and its address's handshakes
are throttled (`HandshakeThrottle`, a WSGI layer in front of engine.io). Frames python-socketio cannot
decode (bad JSON, nesting beyond the recursion limit, an object as event name) are counted the same
way, answered `protocol/malformed` (once per streak) and logged in one line, without a traceback. Numbers: docs/security.md, "Floods".
"""
from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from collections import deque
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

    def drain_by(self, key: str, tokens: float) -> None:
        with self._lock:
            bucket = self._buckets.get(key)
            if bucket is not None:
                bucket.tokens -= tokens  # may go below zero: the debt is paid off at the refill rate

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
    per_address_rate: float = 30.0        # one venue's NAT: 60 tablets send ~5 events/s together
    per_address_burst: float = 300.0      # ... 60 voting at once, or reconnecting together after a restart
    cut_after: int = 100                  # frames refused in one streak before the connection is cut
    handshakes_per_second: float = 2.0    # new Socket.IO connections per address, sustained
    handshake_burst: float = 120.0        # 60 tablets reconnecting twice at once

    @classmethod
    def from_config(cls, config: dict) -> GateSettings:
        return cls(per_connection_rate=config.get("EVENTS_PER_SECOND", 20),
                   per_connection_burst=config.get("EVENTS_BURST", 60),
                   per_address_rate=config.get("EVENTS_PER_SECOND_PER_ADDRESS", 30),
                   per_address_burst=config.get("EVENTS_BURST_PER_ADDRESS", 300),
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

    def __init__(self, settings: GateSettings, refusal: Callable[[str, str], str]):
        self.settings = settings
        self.connections = Buckets(settings.per_connection_rate, settings.per_connection_burst)
        self.addresses = Buckets(settings.per_address_rate, settings.per_address_burst)
        self.handshakes = Buckets(settings.handshakes_per_second, settings.handshake_burst)
        self.address_of: dict[str, str] = {}
        self.streaks: dict[str, int] = {}  # frames refused in a row, per connection (whichever bucket refused)
        self.counters = Counters()
        self._refusal = refusal  # (eio sid, error code) -> the encoded Socket.IO `error` packet

    def allow(self, eio_sid: str) -> bool:
        """One frame of `eio_sid`: False = drop it (no parsing, no greenlet, no database)."""
        address = self.address_of.get(eio_sid, "?")
        if self.connections.take(eio_sid) is not None and self.addresses.take(address) is not None:
            if eio_sid in self.streaks:
                del self.streaks[eio_sid]
            return True
        self.counters.refused += 1
        self.streaks[eio_sid] = self.streaks.get(eio_sid, 0) + 1
        return False

    def streak(self, eio_sid: str) -> int:
        return self.streaks.get(eio_sid, 0)

    def penalise(self, eio_sid: str, kind: str) -> None:
        """A malformed frame costs a whole burst's worth of tokens: a stream of them is cut off fast."""
        self.counters.malformed += 1
        self.counters.by_kind[kind] = self.counters.by_kind.get(kind, 0) + 1
        self.connections.take(eio_sid, cost=0.0)
        self.connections.drain_by(eio_sid, 9.0)
        self.streaks[eio_sid] = self.streaks.get(eio_sid, 0) + 1

    def punish(self, address: str) -> None:
        """A connection from `address` was cut off for flooding: its handshakes wait for the refill, and its
        events owe a whole burst, so reconnecting does not buy a fresh burst of database work."""
        self.counters.cut_off += 1
        self.handshakes.drain(address)
        self.handshakes.drain_by(address, self.settings.handshakes_per_second * 5)  # each cut: 5 s more
        self.addresses.drain_by(address, self.settings.per_address_burst)

    def forget(self, eio_sid: str) -> None:
        self.connections.forget(eio_sid)
        self.address_of.pop(eio_sid, None)
        self.streaks.pop(eio_sid, None)


def install(server, gate: FloodGate) -> None:  # noqa: ANN001
    """Put `gate` in front of `server` (a python-socketio Server) and its engine.io server."""
    eio = server.eio
    trigger = eio._trigger_event
    handle_message = server._handle_eio_message

    cut: set[str] = set()

    def refuse(eio_sid: str, code: str = LIMITED) -> None:
        streak = gate.streak(eio_sid) or 1
        if streak == 1:  # once per streak: the sender learns why, the flood costs no answers
            try:
                eio.send(eio_sid, gate._refusal(eio_sid, code))
            except Exception:  # noqa: BLE001 - the socket may be closing; telling is best effort
                pass
        if streak >= gate.settings.cut_after and eio_sid not in cut:
            cut.add(eio_sid)
            gate.punish(gate.address_of.get(eio_sid, "?"))  # its reconnects wait, and get no fresh burst
            log.warning("connection cut off after %s refused frames (flooding)", streak)
            try:
                eio.disconnect(eio_sid)
            except Exception:  # noqa: BLE001 - already gone
                pass
            return
        # Yield: gevent does not switch while a socket has data ready, so without this a flooder's
        # buffered frames would run back to back ahead of every other connection.
        eio.sleep(0)

    def guarded_trigger(event: str, *args: object, **kwargs: object) -> object:
        if event == "message" and args[0] in cut:  # type: ignore[operator]
            return None
        if event == "message" and not gate.allow(args[0]):  # type: ignore[arg-type]
            refuse(args[0])  # type: ignore[arg-type]
            return None
        if event == "connect":
            gate.address_of[args[0]] = client_address(args[1])  # type: ignore[index, arg-type]
        elif event == "disconnect":
            gate.forget(args[0])  # type: ignore[arg-type]
            cut.discard(args[0])  # type: ignore[arg-type]
        return trigger(event, *args, **kwargs)

    def tolerant_message(eio_sid: str, data: object) -> None:
        try:
            handle_message(eio_sid, data)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, json.JSONDecodeError) as exc:
            kind = type(exc).__name__
            gate.penalise(eio_sid, kind)
            log.warning("malformed Socket.IO frame refused (%s, %s bytes)", kind, len(data) if hasattr(data, "__len__") else "?")
            refuse(eio_sid, MALFORMED)

    def checked_event(eio_sid: str, namespace: object, ack_id: object, data: object) -> None:
        # An event name that is not a string made python-socketio crash in a handler greenlet (a traceback
        # no wrapper can catch): refused here, where the frame is still ours.
        if not (isinstance(data, list) and data and isinstance(data[0], str)):
            raise ValueError("event name is not a string")
        handle_event(eio_sid, namespace, ack_id, data)

    handle_event = server._handle_event
    server._handle_event = checked_event
    bound_websocket_inboxes()
    _on_overflow[:] = [gate.punish]
    eio._trigger_event = guarded_trigger
    eio.handlers["message"] = tolerant_message
    server._handle_eio_message = tolerant_message


def client_address(environ: dict | None) -> str:
    """REMOTE_ADDR as ProxyFix left it (the client's, behind a trusted proxy); kept in memory only."""
    return str(environ.get("REMOTE_ADDR") or "?") if isinstance(environ, dict) else "?"


LIMITED = "rate/limited"            # too many frames: dropped unread
MALFORMED = "protocol/malformed"    # a frame python-socketio cannot read as an event


def error_packet(code: str, message: str) -> str:
    """A Socket.IO EVENT packet `error` for namespace "/" (engine.io adds its own message prefix)."""
    return "2" + json.dumps(["error", {"event": "*", "code": code, "message": message}])


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


MAX_PENDING_FRAMES = 128  # frames received but not yet handled, per WebSocket; a tablet has a handful


class InboxOverflow(OSError):
    """Raised in simple-websocket's reader: it closes the socket on an OSError."""


_on_overflow: list[Callable[[str], None]] = []  # the gate's penalty for the flooder's address


class BoundedInbox(deque):
    """simple-websocket keeps received frames in a list and takes them with `pop(0)`: under a flood the
    list grows by thousands and every `pop(0)` moves all of them, so one flooder made the server's
    work quadratic (issue 17: 5 ms per frame, every room stalled). A deque takes from the front in
    constant time, and more than MAX_PENDING_FRAMES waiting frames close the connection."""

    def __init__(self, items=(), address: str = "?"):  # noqa: ANN001
        super().__init__(items)
        self.address = address

    def pop(self, index: int = -1):  # noqa: ANN201
        return self.popleft() if index == 0 else super().pop()

    def append(self, item: object) -> None:
        if len(self) >= MAX_PENDING_FRAMES:
            log.warning("connection cut off: more than %s frames waiting (flooding)", MAX_PENDING_FRAMES)
            for penalise in _on_overflow:
                penalise(self.address)
            raise InboxOverflow("too many frames waiting")
        super().append(item)


def bound_websocket_inboxes() -> None:
    """Give every simple-websocket connection a BoundedInbox (once per process)."""
    try:
        from simple_websocket import ws
    except ImportError:  # pragma: no cover - eventlet's own WebSocket is used instead
        return
    if isinstance(getattr(ws.Base, "input_buffer", None), property):
        return

    def get(self):  # noqa: ANN001, ANN202
        inbox = self.__dict__.get("_bounded_inbox")
        if inbox is None:
            inbox = self.__dict__["_bounded_inbox"] = BoundedInbox((), client_address(getattr(self, "environ", None)))
        return inbox

    def set_(self, value) -> None:  # noqa: ANN001
        self.__dict__["_bounded_inbox"] = BoundedInbox(value, client_address(getattr(self, "environ", None)))

    ws.Base.input_buffer = property(get, set_)
