"""The garbage collector's settings around bulk work: changed inside, restored after."""

from __future__ import annotations

import gc

import pytest

from assay._gc import EVAL_GC_THRESHOLD, gc_paused, gc_relaxed


def test_collection_is_rarer_during_an_evaluation_and_restored_after() -> None:
    before = gc.get_threshold()
    with gc_relaxed():
        inside = gc.get_threshold()
        assert inside[0] >= EVAL_GC_THRESHOLD
        assert inside[1:] == before[1:]
        assert gc.isenabled()
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), gc_relaxed():
        raise RuntimeError("an evaluation failed")
    assert gc.get_threshold() == before


def test_a_higher_threshold_already_set_is_kept() -> None:
    before = gc.get_threshold()
    gc.set_threshold(EVAL_GC_THRESHOLD * 3, *before[1:])
    try:
        with gc_relaxed():
            assert gc.get_threshold()[0] == EVAL_GC_THRESHOLD * 3
    finally:
        gc.set_threshold(*before)


def test_the_collector_is_paused_and_resumed() -> None:
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
