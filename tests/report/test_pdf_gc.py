"""The PDF renderer raises the garbage collector's thresholds while it runs, and only while it runs."""
from __future__ import annotations

import gc

from game.report.pdf_layout import RENDER_GC_THRESHOLD, fewer_gc_runs


def test_overlapping_renders_restore_the_process_thresholds():
    before = gc.get_threshold()
    first, second = fewer_gc_runs(), fewer_gc_runs()
    first.__enter__()
    second.__enter__()
    assert gc.get_threshold() == RENDER_GC_THRESHOLD
    first.__exit__(None, None, None)  # the first render ends while the second still runs
    assert gc.get_threshold() == RENDER_GC_THRESHOLD
    second.__exit__(None, None, None)
    assert gc.get_threshold() == before
