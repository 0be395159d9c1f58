"""Run CPU-bound work (laying out a PDF) in forked child processes, and wait for it cooperatively.

Laying out a big report takes seconds of pure Python. In a gevent or eventlet server that would stop
every tablet of every room for as long; in a child process it runs beside them (and on the other core),
while the server waits on a pipe with `select`, which the monkey-patching makes cooperative.

A child must never run the server's code: after the fork it has copies of every greenlet, so it writes
with the unpatched `os.write` (a patched write could hand control to the copied hub) and always ends
with `os._exit`.
"""
from __future__ import annotations

import gc
import importlib
import os
import pickle
import select
import signal
import sys
import time
import traceback
from collections.abc import Callable

TIMEOUT_S = 120.0


class ChildFailed(RuntimeError):
    """A child process raised, died or took longer than the timeout."""


def available() -> bool:
    return hasattr(os, "fork")


def _unpatched(module: str, name: str):  # noqa: ANN202
    """`module.name` as it was before gevent's or eventlet's monkey-patching (whichever this process uses)."""
    if "gevent.monkey" in sys.modules and sys.modules["gevent.monkey"].is_module_patched(module):
        return sys.modules["gevent.monkey"].get_original(module, name)
    if "eventlet.patcher" in sys.modules and sys.modules["eventlet.patcher"].is_monkey_patched(module):
        return getattr(sys.modules["eventlet.patcher"].original(module), name)
    return getattr(importlib.import_module(module), name)


def run_all(jobs: list[Callable[[], object]], timeout: float = TIMEOUT_S) -> list[object]:
    """Each job in its own child process, all at once; their results (pickled through a pipe) in order."""
    children = [_start(job) for job in jobs]
    received: dict[int, list[bytes]] = {fd: [] for _pid, fd in children}
    open_fds = set(received)
    deadline = time.monotonic() + timeout
    try:
        while open_fds:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ChildFailed(f"no result after {timeout:.0f} s")
            ready, _, _ = select.select(list(open_fds), [], [], remaining)
            for fd in ready:
                chunk = os.read(fd, 1 << 20)
                if chunk:
                    received[fd].append(chunk)
                else:
                    open_fds.discard(fd)
    finally:
        for pid, fd in children:
            if fd in open_fds:  # gave up on it
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            os.close(fd)
            os.waitpid(pid, 0)
    results = []
    for _pid, fd in children:
        data = b"".join(received[fd])
        if not data or data[:1] != b"\x00":
            raise ChildFailed(data[1:].decode("utf-8", "replace")[-2000:] or "the child died without a result")
        results.append(pickle.loads(data[1:]))
    return results


def _start(job: Callable[[], object]) -> tuple[int, int]:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid:
        os.close(write_fd)
        return pid, read_fd
    # The child: compute, write, exit; nothing else of the parent's runs here.
    code = 1
    try:
        os.close(read_fd)
        gc.freeze()  # the parent's heap is not this process's garbage: the collector leaves it alone
        try:
            data = b"\x00" + pickle.dumps(job(), protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        except BaseException:  # noqa: BLE001 (reported to the parent, which raises it)
            data = b"\x01" + traceback.format_exc().encode()
        write = _unpatched("os", "write")
        view = memoryview(data)
        while view:
            view = view[write(write_fd, view):]
    finally:
        os._exit(code)
