"""Flood control: one user's burst is slowed; other users are unaffected."""

from __future__ import annotations

from bot.engine.flood import FLOOD, FloodGuard, Verdict
from bot.engine.types import Inbound
from bot.runtime import Runtime


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


async def test_flooding_user_is_slowed_through_the_service_and_a_neighbour_is_not(service: Runtime) -> None:
    clock = FakeClock(step=0.2)  # 50 messages in 10 s, whatever the speed of this machine
    service.service.flood = FloodGuard(clock=clock)  # the default limits: 20 messages per 10 s
    spam = [await service.handle(_telegram("111", "halo")) for _ in range(50)]
    neighbour = await service.handle(_telegram("222", "jadwal imunisasi campak"))

    assert len(spam) == 50
    assert all(o.intent != FLOOD and o.replies for o in spam[:20])
    notes = [o for o in spam if o.replies and o.intent == FLOOD]
    assert len(notes) == 1 and spam[20] is notes[0]  # one polite note, at the 21st message
    assert "tunggu sebentar" in notes[0].replies[0].text
    assert all(o.intent == FLOOD and not o.replies for o in spam[21:])  # then silence
    assert neighbour.intent != FLOOD and neighbour.replies

    clock.now += 11.0  # the flood is over: the user is answered again
    assert (await service.handle(_telegram("111", "menu"))).intent != FLOOD


async def test_console_is_never_slowed(service: Runtime) -> None:
    service.service.flood = FloodGuard(limit=2, clock=FakeClock(step=0.0))
    outcomes = [await service.handle(Inbound("console:me", "console", text="halo")) for _ in range(5)]
    assert all(o.intent != FLOOD for o in outcomes)


class FakeClock:
    """A monotonic clock that moves `step` seconds each time it is read."""

    def __init__(self, step: float) -> None:
        self.now, self.step = 1000.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _telegram(chat: str, text: str) -> Inbound:
    return Inbound(f"telegram:{chat}", "telegram", text=text)


def test_quiet_users_are_forgotten() -> None:
    guard = FloodGuard(limit=3, window=10.0)
    for i in range(500):
        guard.check(f"user{i}", now=float(i) / 100)  # 500 users within 5 s
    guard.check("late", now=20.0)  # everyone else has been quiet for a whole window
    assert list(guard._seen) == ["late"]
