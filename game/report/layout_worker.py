"""A PDF layout worker: `python -m game.report.layout_worker JOB_FD RESULT_FD` (started by
game/report/layout_workers.py, never by hand).

Reads pickled jobs from its job pipe, runs each, writes the pickled result (or the traceback) to its
result pipe. Leaves when the server closes the job pipe (or dies), or after IDLE_EXIT_S without work.
Nothing here imports the server: no monkey-patching, no database, no sockets.
"""
from __future__ import annotations

import gc
import os
import pickle
import select
import sys
import traceback

from game.report.layout_workers import _FAILED, _HEADER, _OK, IDLE_EXIT_S


def _read_exactly(fd: int, size: int) -> bytes | None:
    chunks, missing = [], size
    while missing:
        chunk = os.read(fd, min(missing, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def serve(job_fd: int, result_fd: int) -> None:
    from game.report import pdf_layout

    pdf_layout.warm_up()  # fonts and WeasyPrint's caches loaded before the first job
    gc.freeze()           # what is loaded now stays: the collector need not walk it during a layout
    while True:
        ready, _, _ = select.select([job_fd], [], [], IDLE_EXIT_S)
        if not ready:
            return
        header = _read_exactly(job_fd, _HEADER.size)
        if header is None:
            return  # the server closed the pipe or is gone
        payload = _read_exactly(job_fd, _HEADER.unpack(header)[0])
        if payload is None:
            return
        try:
            data = _OK + pickle.dumps(pickle.loads(payload)(), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # noqa: BLE001 (reported to the server, which raises it)
            data = _FAILED + traceback.format_exc().encode()
        try:
            _write_all(result_fd, _HEADER.pack(len(data)) + data)
        except BrokenPipeError:
            return  # the server gave up on this job (timeout) or is gone


if __name__ == "__main__":
    serve(int(sys.argv[1]), int(sys.argv[2]))
