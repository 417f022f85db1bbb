"""bot/heap.py: the long-lived heap frozen at start, settled again when it has grown or the content changed."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from bot import heap


@pytest.fixture(autouse=True)
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test process keeps collecting everything


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_settle_collects_cycles_then_freezes_what_is_alive() -> None:
    class Node:
        other: object = None

    cycle, held = Node(), Node()
    cycle.other = cycle
    gone = weakref.ref(cycle)
    del cycle
    heap.settle()
    assert gone() is None  # collected before the freeze, not kept for ever
    assert gc.get_freeze_count() > 0
    assert not any(o is held for o in gc.get_objects())  # frozen: no collection walks it


def test_a_grown_heap_is_settled_once_its_spacing_passed_which_then_doubles(monkeypatch: pytest.MonkeyPatch) -> None:
    clock, content, grown = Clock(), object(), [0]
    settler = heap.Settler(lambda: content, clock)
    monkeypatch.setattr(heap.gc, "get_objects", lambda generation=None: range(grown[0]))
    monkeypatch.setattr(heap, "settle", lambda: None)
    monkeypatch.setattr(heap, "settle_grown", lambda: None)
    clock.now = heap.SPACING
    assert not settler.check()  # due, but nothing has grown
    grown[0] = heap.GROWN
    assert settler.check() and settler.settles == 1
    clock.now += heap.SPACING * 1.5
    assert not settler.check()  # grown again, but the spacing is now twice as long
    clock.now += heap.SPACING
    assert settler.check() and settler.settles == 2


def test_swapped_content_is_settled_even_when_the_heap_did_not_grow(monkeypatch: pytest.MonkeyPatch) -> None:
    clock, content = Clock(), [object()]
    settler = heap.Settler(lambda: content[0], clock)
    monkeypatch.setattr(heap.gc, "get_objects", lambda generation=None: ())
    monkeypatch.setattr(heap, "settle", lambda: None)
    clock.now = heap.SPACING
    assert not settler.check()
    content[0] = object()  # a reload swapped the content in
    assert settler.check() and settler.full == 1  # the old content's cycles: everything is walked
    assert not settler.check()  # seen


def test_a_grown_heap_settle_walks_only_what_is_not_frozen_and_a_full_one_comes_at_most_hourly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock, content, done = Clock(), object(), []
    settler = heap.Settler(lambda: content, clock)
    monkeypatch.setattr(heap.gc, "get_objects", lambda generation=None: range(heap.GROWN))
    monkeypatch.setattr(heap, "settle", lambda: done.append("full"))
    monkeypatch.setattr(heap, "settle_grown", lambda: done.append("grown"))
    while clock.now < heap.LONGEST * 2.5:
        clock.now += heap.SPACING
        settler.check()
    assert done.count("full") == 2 and done.count("grown") >= 10  # the first hour: growth settles only
    assert done[: done.index("full")] == ["grown"] * done.index("full")


def test_a_growth_settle_collects_young_cycles_and_leaves_the_frozen_heap_alone() -> None:
    class Node:
        other: object = None

    gc.freeze()
    before = gc.get_freeze_count()
    cycle, held = Node(), Node()
    cycle.other = cycle
    gone = weakref.ref(cycle)
    del cycle
    heap.settle_grown()
    assert gone() is None
    assert gc.get_freeze_count() > before
    assert not any(o is held for o in gc.get_objects())
