"""Rendered reports kept until the report changes: a PDF or XLSX is laid out once per content, however
many people download it, and two downloads at the same moment wait for one layout.

The key is a hash of the report's data itself (its JSON, with the generation time cut to the day), so a
cached file can never be stale: any vote, decision, status or setting that changes the report changes the
key. One cache per server process (a second process lays out its own copy once).
"""
from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable

from game.report.model import Report, as_json

CACHED_FORMATS = ("pdf", "xlsx")
MAX_ENTRIES = 24   # a few MB: a 40-card PDF is ~1 MB


def content_key(report: Report, fmt: str) -> str:
    data = as_json(report)
    data["generated_at"] = data["generated_at"][:10]
    return hashlib.sha256(json.dumps([fmt, data], sort_keys=True, ensure_ascii=False, default=str).encode()).hexdigest()


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
