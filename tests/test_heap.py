"""A serving process freezes its start-up objects and collects with the serving thresholds (game/heap.py)."""
from __future__ import annotations

import gc

from game import heap


def test_settling_freezes_start_up_objects_and_sets_the_thresholds():
    before = gc.get_threshold()
    try:
        heap.settle_for_serving()
        assert gc.get_freeze_count() > 1000
        assert gc.get_threshold() == heap.SERVING_THRESHOLDS
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)
