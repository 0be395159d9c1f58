"""The garbage collector of a serving process, tuned for the latency tail.

CPython's cyclic collector stops the whole process while it walks a generation; under gevent or eventlet
that is every player's latency at once. Measured at 1,000 players (docs/benchmarks.md, "Garbage and
collector pauses"): with the default thresholds a full collection ran about every 12 s during play and
took 120-160 ms over ~320,000 objects, which made most of the vote -> reveal p99.

- The events themselves no longer leave cyclic garbage (game/app.py, the Socket.IO handshake rule).
- `gc.freeze()` after start-up moves what the process built once (modules, the app, compiled templates,
  decks) out of the collector's reach: a full collection walks half the objects.
- A larger young threshold lets an event's short-lived objects die by reference counting before a
  collection can promote them; promotions are what bring on the full collections. 5,000 was measured
  against 700 (full collections of ~50 ms every ~18 s) and 50,000 (young collections of ~20 ms).
"""
from __future__ import annotations

import gc

# (young, middle, old) as in gc.set_threshold; Python's default is (700, 10, 10).
SERVING_THRESHOLDS = (5_000, 20, 10)


def settle_for_serving() -> None:
    """Once the app is built and before it serves: freeze what start-up made, then collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
