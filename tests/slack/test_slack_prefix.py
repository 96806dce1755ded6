"""End to end: a desk configured with its own reference prefix is read and shown with it."""

from __future__ import annotations

from pathlib import Path

from tests.slack.harness import MEMBER, MERCHANT, running_slack


async def test_slash_command_uses_the_configured_prefix(tmp_path: Path) -> None:
    async with running_slack(tmp_path, prefix="OPS") as slack:
        status, body = await slack.command(MERCHANT, "help", work=False)
        assert status == 200 and "/desk status OPS-42" in body and "INT-" not in body
        status, body = await slack.command(MEMBER, "help", work=False)
        assert "/desk ack|take|resolve OPS-42" in body and "INT-" not in body
        status, body = await slack.command(MERCHANT, "status banana", work=False)
        assert body == "Please name a ticket like OPS-42: /desk status OPS-42"

        await slack.command(MERCHANT, "ask How do I enable the payout API?")
        await slack.settle()
        async with slack.store.transaction() as tx:
            assert await tx.tickets.count() == 1

        for typed in ("ops-1", "1", "OPS-1"):
            await slack.command(MERCHANT, f"status {typed}")
            await slack.settle()
            answer = slack.fake.calls_of("response_url")[-1].params["text"]
            assert answer.startswith("OPS-1 · "), (typed, answer)

        await slack.command(MEMBER, "ack ops-1", channel="CTEAM")
        await slack.settle()
        answer = slack.fake.calls_of("response_url")[-1].params["text"]
        assert "OPS-1 acknowledged by" in answer
