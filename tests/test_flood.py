"""Flood control: one user's burst is slowed; other users are unaffected."""

from __future__ import annotations

from bot.engine.flood import FloodGuard, Verdict


def test_burst_of_fifty_in_ten_seconds_is_slowed_once() -> None:
    guard = FloodGuard(limit=20, window=10.0)
    verdicts = [guard.check("spammer", now=i * 0.2) for i in range(50)]  # 50 messages in 10 s
    assert verdicts[:20] == [Verdict.ALLOW] * 20
    assert verdicts.count(Verdict.WARN) == 1
    assert verdicts[20] == Verdict.WARN
    assert set(verdicts[21:]) == {Verdict.DROP}
    # Someone else in the middle of the flood is served normally.
    assert guard.check("tetangga", now=5.0) == Verdict.ALLOW


def test_calm_user_recovers_after_the_window() -> None:
    guard = FloodGuard(limit=3, window=10.0)
    for i in range(5):
        guard.check("u", now=float(i))
    assert guard.check("u", now=30.0) == Verdict.ALLOW


def test_memory_is_bounded() -> None:
    guard = FloodGuard(limit=3, window=10.0, max_users=100)
    for i in range(1000):
        guard.check(f"user{i}", now=1.0)
    assert len(guard._seen) == 100
