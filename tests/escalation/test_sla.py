from datetime import UTC, datetime, timedelta

from handlers.escalation.sla import Clock, SlaStatus, clock_state

T0 = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)
DUE = T0 + timedelta(minutes=60)


def state(now_min: float, done_min: float | None = None, breached: bool = False) -> Clock:
    return clock_state(
        started=T0,
        due=DUE,
        done_at=None if done_min is None else T0 + timedelta(minutes=done_min),
        breached_at=DUE if breached else None,
        now=T0 + timedelta(minutes=now_min),
    )


def test_open_clock_goes_ok_then_at_risk_then_breached() -> None:
    assert state(10) is Clock.ok
    assert state(44) is Clock.ok
    assert state(45) is Clock.at_risk
    assert state(60) is Clock.breached
    assert state(10, breached=True) is Clock.breached


def test_stopped_clock_is_met_or_breached() -> None:
    assert state(100, done_min=30) is Clock.met
    assert state(100, done_min=70) is Clock.breached
    assert state(100, done_min=30, breached=True) is Clock.breached


def test_no_deadline() -> None:
    assert clock_state(started=T0, due=None, done_at=None, breached_at=None, now=T0) is Clock.none


def test_business_measure_is_used_for_at_risk() -> None:
    # A measure that counts nothing left makes any open clock at risk.
    result = clock_state(
        started=T0,
        due=DUE,
        done_at=None,
        breached_at=None,
        now=T0,
        measure=lambda a, b: timedelta(0),
    )
    assert result is Clock.at_risk


def test_summary() -> None:
    assert SlaStatus(Clock.breached, Clock.at_risk).summary() == "ack breached, resolve at risk"
    assert SlaStatus(Clock.met, Clock.ok).summary() == "ok"
    assert SlaStatus(Clock.none, Clock.none).summary() == "-"
    assert SlaStatus(Clock.met, Clock.at_risk).at_risk
    assert SlaStatus(Clock.breached, Clock.at_risk).breached
    assert not SlaStatus(Clock.breached, Clock.at_risk).at_risk
