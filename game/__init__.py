"""Inzetbaarheidsspel: the game package. `create_app` is imported lazily so that `game.launch`
can monkey-patch for gevent/eventlet before Flask or anything else is imported."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from game.app import create_app  # noqa: F401


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from game.app import create_app

        return create_app
    raise AttributeError(name)
