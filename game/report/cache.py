"""Rendered reports kept until the report changes: a PDF or XLSX is laid out once per content, however
many people download it, and two downloads at the same moment wait for one layout.

The key is a hash of the report's data itself (pickled, with the generation time cut to the day), so a
cached file can never be stale: any vote, decision, status or setting that changes the report changes the
key. One cache per server process (a second process lays out its own copy once).
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable

from game.report.model import Report, as_json

CACHED_FORMATS = ("pdf", "xlsx")
MAX_ENTRIES = 24   # a few MB: a 40-card PDF is ~1 MB


def content_key(report: Report, fmt: str) -> str:
    """The report's data, generation time cut to the day, as a hash. Pickled, not turned into JSON: for a
    40-card room the JSON took 0.12 s of a second download's 0.5 s, the pickle 0.01 s. A pickle is the
    same for equal data built the same way in one process, and the cache is per process; where two
    equal reports pickle differently, the cost is one extra layout, never a stale file."""
    day = dataclasses.replace(report, generated_at=report.generated_at[:10])
    try:
        data = pickle.dumps((fmt, day), protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):  # a value pickle refuses: the JSON of the data
        as_data = as_json(day)
        data = json.dumps([fmt, as_data], sort_keys=True, ensure_ascii=False, default=str).encode()
    return hashlib.sha256(data).hexdigest()


class RenderCache:
    """A small LRU of rendered bytes with one layout per key at a time (cooperative under gevent/eventlet,
    whose monkey-patching makes these locks greenlet locks)."""

    def __init__(self, size: int = MAX_ENTRIES):
        self._size = size
        self._items: OrderedDict[str, object] = OrderedDict()
        self._lock = threading.Lock()
        self._pending: dict[str, threading.Lock] = {}

    def get_or_make(self, key: str, make: Callable[[], object]) -> object:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            pending = self._pending.setdefault(key, threading.Lock())
        with pending:  # a second request for the same content waits here for the first one's layout
            with self._lock:
                if key in self._items:
                    return self._items[key]
            value = make()
            with self._lock:
                self._items[key] = value
                while len(self._items) > self._size:
                    self._items.popitem(last=False)
                self._pending.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


RENDERED = RenderCache()
