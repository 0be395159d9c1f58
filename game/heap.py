"""The garbage collector of a serving process, tuned for a latency tail instead of memory.

CPython's cyclic collector stops the whole process while it walks a generation; under gevent or eventlet
that is every player's latency at once. Measured at 1,000 players (docs/benchmarks.md, "Garbage
collector pauses"): with the default thresholds a full collection ran about every 12 s during play and
took 120-160 ms over ~320,000 objects, and those pauses made most of the vote -> reveal p99.

- `gc.freeze()` after start-up moves what the process built once (modules, the app, compiled templates,
  decks) out of the collector's reach: a full collection walks about half the objects.
- A larger first threshold lets the short-lived objects of an event die by reference counting before a
  collection can promote them; promotions are what trigger the full collections. The events leave
  almost no cyclic garbage (game/app.py, the Socket.IO handshake rule), so collecting rarely costs
  little memory.
"""
from __future__ import annotations

import gc

# (young, middle, old): the young generation is collected after this many net allocations. Python's
# default is (700, 10, 10).
SERVING_THRESHOLDS = (50_000, 20, 10)


def settle_for_serving() -> None:
    """Once the app is built and before it serves: freeze what start-up made, then collect rarely."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*SERVING_THRESHOLDS)
