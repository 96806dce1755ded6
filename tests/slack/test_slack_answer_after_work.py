"""HTTP mode answers Slack only once the request's work has committed: a process killed before
then leaves the request unanswered, so Slack resends the event (handled once, by its event_id in
the work's own transaction) or shows the person the failure with the buttons still there. A
press survives Slack failing the edit of the pressed message; a form submitted again is filed
once."""

from __future__ import annotations

from pathlib import Path

from tests.fakes.slack_api import PostedMessage
from tests.slack.harness import (
    MERCHANT,
    SHARED_CHANNEL,
    SlackHarness,
    report_values,
    running_slack,
)

DM = f"D{MERCHANT}"


async def say(slack: SlackHarness, text: str) -> PostedMessage:
    await slack.dm(MERCHANT, text)
    await slack.settle()
    return slack.posted(DM)[-1]


async def test_an_event_is_answered_after_its_work_committed(slack: SlackHarness) -> None:
    assert slack.service.bridge is not None
    done = slack.service.bridge.finished
    event = {"type": "message", "channel_type": "im", "channel": DM, "user": MERCHANT}
    first = slack.signer.event({**event, "text": "report", "ts": "1.1"}, event_id="Ev0WORK")
    status, _ = await slack.send(first)
    # The 200 came after the work: the flow's state and its answer are in the database.
    assert status == 200 and slack.service.bridge.finished == done + 1
    async with slack.store.transaction() as tx:
        state = await tx.conversations.load("slack", DM, MERCHANT)
        rows = await tx.outbox.items()
    assert state.flow == "report" and [r.chat_id for r in rows] == [DM]
    # Slack resending it (it did not see our 200 in time) changes and sends nothing more.
    again = slack.signer.event({**event, "text": "report", "ts": "1.1"}, event_id="Ev0WORK")
    again.headers["X-Slack-Retry-Num"] = "1"
    status, _ = await slack.send(again)
    await slack.settle()
    assert status == 200
    assert len(slack.posted(DM)) == 1


async def test_a_press_survives_slack_failing_the_edit_of_the_pressed_message(
    slack: SlackHarness,
) -> None:
    await say(slack, "report")
    await say(slack, "Checksum mismatch on payout callbacks")
    await say(slack, "HMAC over sorted keys still mismatches")
    where = await say(slack, "continue")
    await slack.press(MERCHANT, where, "Production")
    await slack.settle()
    severity = slack.posted(DM)[-1]
    await slack.press(MERCHANT, severity, "Major")
    await slack.settle()
    confirm = slack.posted(DM)[-1]
    # Slack keeps limiting chat.update past the client's own retries.
    slack.fake.rate_limit("chat.update", times=10)
    status, _ = await slack.press(MERCHANT, confirm, "Confirm")
    await slack.settle()
    assert status == 200
    async with slack.store.transaction() as tx:
        assert await tx.tickets.count() == 1
    assert "INT-1" in slack.posted(DM)[-1].text


async def test_a_form_submitted_again_files_one_ticket(slack: SlackHarness) -> None:
    opened = slack.fake.wait_for("views.open")
    await slack.command(MERCHANT, "report", channel=DM)
    await slack.settle()
    view = {**(await opened).params["view"], "id": "V0FORM01"}
    values = report_values("Refunds stuck", "Every refund stays PENDING")
    # The person submits, Slack's answer is slow, they submit the same form again.
    assert (await slack.submit(MERCHANT, view, values))[0] == 200
    assert (await slack.submit(MERCHANT, view, values))[0] == 200
    await slack.settle()
    async with slack.store.transaction() as tx:
        assert await tx.tickets.count() == 1
    filed = [m for m in slack.posted(DM) if "INT-1" in m.text]
    assert len(filed) == 1


async def test_socket_mode_acknowledges_an_event_after_its_work(tmp_path: Path) -> None:
    async with running_slack(tmp_path, mode="socket") as slack:
        assert slack.service.bridge is not None
        body = {
            "team_id": slack.fake.team_id,
            "api_app_id": "A0DESK",
            "type": "event_callback",
            "event_id": "Ev0SOCKWORK",
            "event": {
                "type": "message",
                "channel_type": "im",
                "channel": DM,
                "user": MERCHANT,
                "text": "report",
                "ts": "1764233000.000200",
            },
        }
        await slack.push("events_api", body)
        # The ack came after the work: its answer is already in the outbox.
        assert slack.service.bridge.finished == 1
        async with slack.store.transaction() as tx:
            assert [row.chat_id for row in await tx.outbox.items()] == [DM]


async def test_a_form_sent_again_to_another_process_after_a_crash_files_nothing_new(
    tmp_path: Path,
) -> None:
    """The process that filed the report dies before Slack hears its 200; the person submits
    the same form again and it reaches a fresh process on the same database. Nothing is filed or
    posted again (no second headline in the shared channel), the form closes (a plain 200), and
    the person gets the one confirmation the first process wrote."""
    values = report_values("Refunds stuck", "Every refund stays PENDING")
    async with running_slack(tmp_path) as first:
        opened = first.fake.wait_for("views.open")
        await first.command(MERCHANT, "report", channel=SHARED_CHANNEL)
        await first.settle()
        view = {**(await opened).params["view"], "id": "V0CRASH1"}
        # Work committed; the process dies before its answers go out (the dispatcher never
        # runs) and before Slack hears back.
        assert (await first.submit(MERCHANT, view, values))[0] == 200
        await first.work_done()
        headlines = first.posted(SHARED_CHANNEL)
        assert len(headlines) == 1
    async with running_slack(tmp_path) as second:
        status, body = await second.submit(MERCHANT, view, values)
        assert (status, body) == (200, "")
        await second.settle()
        async with second.store.transaction() as tx:
            assert await tx.tickets.count() == 1
        assert second.posted(SHARED_CHANNEL) == []
        told = [m for m in second.posted(SHARED_CHANNEL, headlines[0].ts) if "INT-1" in m.text]
        assert len(told) == 1, told
