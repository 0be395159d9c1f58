"""The `inzetspel` entry point. Monkey-patching happens here, once, before anything else is imported."""
from __future__ import annotations

import os
import sys
import warnings

ASYNC_MODES = ("gevent", "eventlet", "threading")
DEFAULT_ASYNC_MODE = "gevent"


def requested_async_mode(argv: list[str]) -> str | None:
    """The async mode `serve` will run under (None for other commands: they need no patching)."""
    if "serve" not in argv:
        return None
    mode = os.environ.get("ASYNC_MODE", DEFAULT_ASYNC_MODE)
    for i, arg in enumerate(argv):
        if arg == "--async-mode" and i + 1 < len(argv):
            mode = argv[i + 1]
        elif arg.startswith("--async-mode="):
            mode = arg.split("=", 1)[1]
    return mode if mode in ASYNC_MODES else None  # click reports an invalid choice itself


def patch(mode: str | None) -> None:
    """Make the standard library cooperative for gevent or eventlet."""
    if mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
        # psycopg waits on sockets with gevent-friendly calls once patched; nothing else to do.
    elif mode == "eventlet":
        # eventlet is deprecated upstream and says so at import; we support it knowingly.
        warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
        import eventlet

        eventlet.monkey_patch()


def main() -> None:
    patch(requested_async_mode(sys.argv[1:]))
    from game.cli import cli

    cli()
