"""The integration program in the report and the scrape: projects per stage now, and the median
days per stage over the stages finished in the period, from seeded rows with known times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.clock import FakeClock
from handlers.escalation.policy import EscalationPolicy
from handlers.ops.health import Health
from handlers.ops.metrics import REGISTRY
from handlers.ops.report import build_report
from handlers.ops.report_render import to_dict, to_text
from storage import Store
from storage.program_models import Merchant, Project, ProjectStage

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def day(n: int, hour: int = 9) -> datetime:
    return datetime(2026, 11, n, hour, tzinfo=UTC)


# Each project's stages and when it entered them.
JOURNEYS = {
    "PRJ-1": [("requested", day(2)), ("scope", day(3)), ("documentation", day(7))],
    "PRJ-2": [("requested", day(20)), ("scope", day(24)), ("documentation", day(25, 21))],
    "PRJ-3": [("requested", day(26))],
}


async def seed(store: Store) -> None:
    async with store.transaction() as tx:
        merchant = Merchant(name="Duka", account_id="A1", created_at=day(1))
        tx.session.add(merchant)
        await tx.session.flush()
        for reference, journey in JOURNEYS.items():
            stage, entered = journey[-1]
            project = Project(
                reference=reference, merchant_id=merchant.id, overview="o", stage=stage,
                stage_entered_at=entered, contact_channel="console", contact_chat_id="c",
                created_at=journey[0][1], updated_at=entered,
            )  # fmt: skip
            tx.session.add(project)
            await tx.session.flush()
            for name, at in journey:
                tx.session.add(
                    ProjectStage(project_id=project.id, stage=name, entered_at=at, by="console:x")
                )


async def test_projects_per_stage_and_median_days_per_stage(store: Store) -> None:
    await seed(store)
    # The last 14 days: 16 Nov 09:00 to 30 Nov 09:00. PRJ-1's stages ended before it.
    report = await build_report(store, EscalationPolicy(), NOW - timedelta(days=14), NOW, NOW)
    extras = to_dict(report)["extras"]
    assert extras["projects_per_stage"] == {"requested": 1, "documentation": 2}
    # PRJ-2: requested 20th 09:00 -> scope 24th 09:00 (4 days), scope -> 25th 21:00 (1.5 days).
    assert extras["median_days_per_stage"] == {"requested": 4.0, "scope": 1.5}
    text = to_text(report)
    assert "Integration projects per stage: requested 1, documentation 2" in text
    assert (
        "Median days per stage (stages finished in the period): requested 4.0d, scope 1.5d" in text
    )

    # The whole month: PRJ-1's stays count too (requested 1 day, scope 4 days).
    month = await build_report(store, EscalationPolicy(), day(1), NOW, NOW)
    assert to_dict(month)["extras"]["median_days_per_stage"] == {
        "requested": (1.0 + 4.0) / 2,
        "scope": (4.0 + 1.5) / 2,
    }


async def test_projects_per_stage_in_the_scrape(store: Store, clock: FakeClock) -> None:
    await seed(store)
    health = Health(store, clock, {"console": lambda: True}, timedelta(minutes=2))
    await health.refresh_metrics()
    assert REGISTRY.get_sample_value("deskbot_projects", {"stage": "documentation"}) == 2
    assert REGISTRY.get_sample_value("deskbot_projects", {"stage": "requested"}) == 1
    assert REGISTRY.get_sample_value("deskbot_projects", {"stage": "live"}) is None


async def test_no_program_no_program_figures(store: Store) -> None:
    report = await build_report(store, EscalationPolicy(), NOW - timedelta(days=7), NOW, NOW)
    assert report.extras == []
    assert "projects" not in to_text(report)
