"""Socket.IO events leave no cyclic garbage behind: what they allocate is freed by reference counting,
so the cyclic collector has little to do and its pauses stay out of the latency tail
(docs/benchmarks.md, "Garbage per event")."""
from __future__ import annotations

import gc
import time
from collections import Counter

EVENTS = 60
# Was ~80: a NotFound and its traceback kept in every event's request context. What is left is werkzeug's
# URL matcher, a recursive closure per match (8 objects), on every HTTP request as well.
MOST_PER_EVENT = 10


def _garbage_of(action) -> list:  # noqa: ANN001
    # Clients of earlier tests in the same run are still being closed by their background threads: let
    # them finish first, or their garbage lands in this measurement (seen in the full suite only).
    for _ in range(3):
        time.sleep(0.3)
        gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_an_event_leaves_no_reference_cycles(join):
    player = join("Sam")
    player.call("get_state")  # warm-up: lazy imports, caches

    def events() -> None:
        for _ in range(EVENTS):
            assert player.call("get_state")["ok"]

    garbage = _garbage_of(events)
    kinds = Counter(getattr(o, "__qualname__", type(o).__qualname__) for o in garbage).most_common(8)
    assert len(garbage) <= MOST_PER_EVENT * EVENTS, f"{len(garbage) / EVENTS:.0f} objects of cyclic garbage per event: {kinds}"


def test_the_handshake_path_is_a_url_rule_that_is_never_served(app):
    from flask import request

    websocket = {"Upgrade": "websocket", "Connection": "Upgrade"}  # how a tablet's WebSocket connects
    for path, headers in (("/socket.io/", {}), ("/socket.io", {}), ("/socket.io/", websocket)):
        with app.test_request_context(path, headers=headers):
            assert request.routing_exception is None, (path, headers, request.routing_exception)
