"""Lay out PDFs in worker processes started afresh (fork + exec), kept warm and reused.

Laying out a big report takes seconds of pure Python. In a gevent or eventlet server that would stop
every tablet of every room for as long; in a worker process it runs beside them (and on the other
core), while the server waits on a pipe with `select`, which the monkey-patching makes cooperative.

Why not simply fork the server: a forked copy of a gevent server carries every greenlet, and the first
cooperative lock the child meets (cffi takes one inside WeasyPrint, non-blocking, and gevent yields
even then) switches to the copied hub, which runs the copied timers and requests *on the parent's own
database sockets*. CI saw it as "unexpected result EMPTY_QUERY from command 'BEGIN'" in the parent's
timer. A worker started with exec runs none of the server's code and shares none of its sockets.

Starting a worker costs about a second (Python, WeasyPrint, fonts), so workers stay alive between
reports (at most KEEP_IDLE of them) and leave by themselves after IDLE_EXIT_S without work or when
the server is gone (their job pipe reaches end of file).

Jobs and results are pickled callables and values between this process and its own children, through
private pipes: 8-byte length, then the data (results: one status byte first).
"""
from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable

TIMEOUT_S = 120.0
KEEP_IDLE = 2          # warm workers kept between reports (the machine's two halves of a big report)
MAX_JOBS = 40          # then the worker is replaced: WeasyPrint's caches and the heap only grow
IDLE_EXIT_S = 600.0    # a worker with nothing to do for this long leaves (a server rarely makes PDFs)
_HEADER = struct.Struct("!Q")
_OK, _FAILED = b"\x00", b"\x01"


class ChildFailed(RuntimeError):
    """A worker raised, died or took longer than the timeout."""


class _Worker:
    """One worker process and the two pipes to it."""

    def __init__(self) -> None:
        job_read, self.job_write = os.pipe()
        self.result_read, result_write = os.pipe()
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "game.report.layout_worker", str(job_read), str(result_write)],
                pass_fds=(job_read, result_write), stdin=subprocess.DEVNULL, close_fds=True,
                cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
        finally:
            os.close(job_read)
            os.close(result_write)
        os.set_blocking(self.job_write, False)  # a full pipe waits in select (cooperative), never in write
        self.jobs = 0
        self.broken = False

    def alive(self) -> bool:
        return not self.broken and self.process.poll() is None

    def send(self, data: bytes, deadline: float) -> None:
        view = memoryview(_HEADER.pack(len(data)) + data)
        while view:
            _wait(None, self.job_write, deadline)
            try:
                view = view[os.write(self.job_write, view):]
            except BlockingIOError:
                continue

    def close(self) -> None:
        self.broken = True
        for fd in (self.job_write, self.result_read):
            try:
                os.close(fd)
            except OSError:
                pass
        if self.process.poll() is None:
            try:
                self.process.send_signal(signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover (SIGKILL is not refused)
            pass


def _wait(readable: int | None, writable: int | None, deadline: float) -> None:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise ChildFailed(f"no result after {TIMEOUT_S:.0f} s")
    select.select([readable] if readable is not None else [], [writable] if writable is not None else [], [], remaining)


_idle: list[_Worker] = []
_idle_lock = threading.Lock()  # patched into a cooperative lock under gevent/eventlet; never held across I/O


def _take() -> tuple[_Worker, bool]:
    """A warm worker if one is idle (and alive), else a new one; True when it was reused."""
    with _idle_lock:
        while _idle:
            worker = _idle.pop()
            if worker.alive():
                return worker, True
            worker.close()
    return _Worker(), False


def _give_back(worker: _Worker) -> None:
    with _idle_lock:
        if worker.alive() and worker.jobs < MAX_JOBS and len(_idle) < KEEP_IDLE:
            _idle.append(worker)
            return
    worker.close()


def shut_down() -> None:
    """Stop the idle workers (tests; a server's workers leave by themselves when it ends)."""
    with _idle_lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.close()


def run_all(jobs: list[Callable[[], object]], timeout: float = TIMEOUT_S) -> list[object]:
    """Each job (a picklable callable, e.g. a functools.partial of a module-level function) in its own
    worker, all at once; their results in order. Raises ChildFailed if any fails or times out."""
    deadline = time.monotonic() + timeout
    payloads = [pickle.dumps(job, protocol=pickle.HIGHEST_PROTOCOL) for job in jobs]
    workers: list[_Worker] = []
    try:
        for payload in payloads:
            workers.append(_started_with(payload, deadline))
        raw = _receive_all(workers, deadline)
    except BaseException:
        for worker in workers:
            worker.close()
        raise
    results = []
    for worker, data in zip(workers, raw):
        worker.jobs += 1
        _give_back(worker)
        if data[:1] != _OK:
            raise ChildFailed(data[1:].decode("utf-8", "replace")[-2000:] or "the worker gave no result")
        results.append(pickle.loads(data[1:]))
    return results


def _started_with(payload: bytes, deadline: float) -> _Worker:
    """A worker that has the job. A warm worker may have just left (idle too long): then a new one."""
    worker, reused = _take()
    try:
        worker.send(payload, deadline)
        return worker
    except (BrokenPipeError, OSError):
        worker.close()
        if not reused:
            raise ChildFailed("the worker could not be started") from None
    worker = _Worker()
    worker.send(payload, deadline)
    return worker


def _receive_all(workers: list[_Worker], deadline: float) -> list[bytes]:
    buffers = {worker.result_read: bytearray() for worker in workers}
    waiting = set(buffers)
    while waiting:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise ChildFailed(f"no result after {TIMEOUT_S:.0f} s")
        ready, _, _ = select.select(list(waiting), [], [], remaining)
        for fd in ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                raise ChildFailed("the worker died without a result")
            buffer = buffers[fd]
            buffer += chunk
            if len(buffer) >= _HEADER.size and len(buffer) - _HEADER.size >= _HEADER.unpack_from(buffer)[0]:
                waiting.discard(fd)
    return [bytes(buffers[worker.result_read][_HEADER.size:]) for worker in workers]
