"""`/desk block` and `/desk unblock` on Slack (issue 13, item 2)."""

from __future__ import annotations

from pathlib import Path

from tests.slack.harness import MEMBER, MERCHANT, OUTSIDER, TEAM_CHANNEL, running_slack


async def test_a_member_blocks_and_unblocks_a_reporter_with_the_slash_command(
    tmp_path: Path,
) -> None:
    async with running_slack(tmp_path) as slack:
        status, body = await slack.command(OUTSIDER, f"block slack:{MERCHANT}", work=False)
        assert status == 200 and "integration team only" in body
        await slack.command(MEMBER, f"block slack:{MERCHANT} 2", channel=TEAM_CHANNEL)
        await slack.settle()
        assert "blocked until" in slack.fake.calls_of("response_url")[-1].params["text"]

        await slack.command(MERCHANT, "mine")
        await slack.settle()
        answer = slack.fake.calls_of("response_url")[-1].params["text"]
        assert "paused your messages to the desk" in answer

        await slack.command(MEMBER, f"unblock slack:{MERCHANT}", channel=TEAM_CHANNEL)
        await slack.settle()
        assert "no longer blocked" in slack.fake.calls_of("response_url")[-1].params["text"]
        slack.clock.advance(61)
        await slack.command(MERCHANT, "mine")
        await slack.settle()
        assert "paused" not in slack.fake.calls_of("response_url")[-1].params["text"]
