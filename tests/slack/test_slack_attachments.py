"""Attachments on Slack, end to end: `file_share` messages in the DM, in a ticket's thread in a
shared channel and in the team's alert thread; files fetched from `url_private_download` with
the bot token; the team's copy uploaded into the alert's thread."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.slack_files import FakeSlackFiles
from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    OUTSIDER,
    SHARED_CHANNEL,
    TEAM_CHANNEL,
    TOKEN,
    SlackHarness,
    report_values,
)
from tests.test_telegram_attachments import LOG, PNG

DM = f"D{MERCHANT}"


def files_of(slack: SlackHarness) -> FakeSlackFiles:
    assert slack.files is not None
    return slack.files


async def file_report(slack: SlackHarness, channel: str = DM) -> None:
    await slack.command(MERCHANT, "report", channel=channel)
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    await slack.submit(MERCHANT, view, report_values("Payout reversed", "REVERSED after 2 min"))
    await slack.settle()


async def share(slack: SlackHarness, user: str, channel: str, files: list[dict], **kw) -> None:
    event = files_of(slack).event(user, channel, files, **kw)
    await slack.send(slack.signer.event(event))
    await slack.settle()


async def rows(slack: SlackHarness, reference: str = "INT-1") -> list:
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get(reference)
        assert ticket is not None
        return list(await tx.attachments.for_ticket(ticket.id))  # type: ignore[arg-type]


async def test_a_file_shared_in_the_dm_joins_the_active_ticket(slack: SlackHarness) -> None:
    await file_report(slack)
    shot = files_of(slack).share(PNG, "checkout.png", "image/png")
    await share(slack, MERCHANT, DM, [shot], text="this is what the customer sees")
    answer = slack.posted(DM)[-1]
    assert "Added checkout.png to INT-1" in answer.text
    (row,) = await rows(slack)
    assert (row.name, row.mime_type, row.status, row.size) == (
        "checkout.png",
        "image/png",
        "stored",
        len(PNG),
    )
    # Fetched with the bot token as Bearer; uploaded into the alert's thread.
    assert files_of(slack).downloads == [(shot["id"], TOKEN)]
    (shared,) = slack.fake.shared_files
    assert shared["content"] == PNG and shared["thread_ts"] == slack.alert().ts
    assert "this is what the customer sees" in shared["comment"]


async def test_the_same_file_twice_is_kept_once(slack: SlackHarness) -> None:
    await file_report(slack)
    for _ in range(2):
        await share(slack, MERCHANT, DM, [files_of(slack).share(LOG, "api.log", "text/plain")])
    first, second = await rows(slack)
    assert (first.status, second.status) == ("stored", "duplicate")
    assert first.sha256 == second.sha256
    assert len(slack.fake.shared_files) == 1
    assert first.storage_name == second.storage_name


async def test_the_same_bytes_are_one_file_on_disk(slack: SlackHarness, tmp_path: Path) -> None:
    await file_report(slack)
    for name in ("a.png", "b.png"):
        await share(slack, MERCHANT, DM, [files_of(slack).share(PNG, name, "image/png")])
    assert len(list((tmp_path / "attachments").iterdir())) == 1


async def test_a_file_in_the_shared_channel_thread_is_the_reporters(slack: SlackHarness) -> None:
    await file_report(slack, SHARED_CHANNEL)
    anchor = slack.posted(SHARED_CHANNEL)[0]
    shot = files_of(slack).share(PNG, "error.png", "image/png")
    await share(
        slack, MERCHANT, SHARED_CHANNEL, [shot], thread_ts=anchor.ts, channel_type="channel"
    )
    (row,) = await rows(slack)
    assert row.name == "error.png" and not row.internal
    assert slack.fake.shared_files[0]["thread_ts"] == slack.alert().ts


async def test_a_file_in_the_team_thread_is_internal(slack: SlackHarness) -> None:
    await file_report(slack)
    alert = slack.alert()
    note = files_of(slack).share(LOG, "provider-trace.log", "text/plain")
    await share(slack, MEMBER, TEAM_CHANNEL, [note], thread_ts=alert.ts, channel_type="channel")
    (row,) = await rows(slack)
    assert row.internal and row.owner == f"slack:{MEMBER}" and row.status == "stored"
    assert row.owner_name == "juma"
    # The thread shows it already: no second copy is uploaded there, nothing goes to the DM.
    assert slack.fake.shared_files == []
    assert not any("provider-trace" in m.text for m in slack.posted(DM))


async def test_a_file_behind_a_foreign_url_is_not_fetched_with_the_token(
    slack: SlackHarness,
) -> None:
    await file_report(slack)
    shot = files_of(slack).share(PNG, "x.png", "image/png")
    shot["url_private_download"] = "https://attacker.example.com/steal.png"
    await share(slack, MERCHANT, DM, [shot])
    (row,) = await rows(slack)
    assert (row.status, row.reason) == ("failed", "unavailable")
    assert files_of(slack).downloads == []
    assert "could not fetch x.png" in slack.posted(DM)[-1].text


async def test_a_file_announced_for_files_info_is_looked_up_then_fetched(
    slack: SlackHarness,
) -> None:
    """Slack Connect: the event carries the file's id and `check_file_info` only."""
    await file_report(slack)
    shot = files_of(slack).share(PNG, "connect-error.png", "image/png", check_file_info=True)
    assert set(shot) == {"id", "file_access", "created"}
    await share(slack, MERCHANT, DM, [shot])
    (info,) = slack.fake.calls_of("files.info")
    assert info.params["file"] == shot["id"] and info.token == TOKEN
    assert "Added connect-error.png to INT-1" in slack.posted(DM)[-1].text
    (row,) = await rows(slack)
    assert (row.name, row.status, row.size) == ("connect-error.png", "stored", len(PNG))
    assert files_of(slack).downloads == [(shot["id"], TOKEN)]
    assert slack.fake.shared_files[0]["content"] == PNG


async def test_files_info_failing_at_first_is_asked_again_by_the_download(
    slack: SlackHarness,
) -> None:
    await file_report(slack)
    shot = files_of(slack).share(LOG, "trace.log", "text/plain", check_file_info=True)
    # Every try the client makes when the event arrives is rate limited (1 + 3 retries).
    slack.fake.rate_limit("files.info", 4)
    await share(slack, MERCHANT, DM, [shot])
    (row,) = await rows(slack)
    assert row.status == "stored" and row.size == len(LOG)
    answered = [c for c in slack.fake.calls_of("files.info") if not c.rate_limited]
    assert len(answered) == 1  # the download queue's own call


async def test_a_file_files_info_does_not_know_is_not_kept_and_the_sender_told(
    slack: SlackHarness,
) -> None:
    await file_report(slack)
    shot = files_of(slack).share(PNG, "gone.png", "image/png", check_file_info=True)
    del files_of(slack).objects[shot["id"]]  # deleted before the desk looked
    await share(slack, MERCHANT, DM, [shot])
    rows_now = await rows(slack)
    assert [(r.status, r.reason) for r in rows_now] == [("failed", "unavailable")]
    assert files_of(slack).downloads == []
    assert "could not fetch" in slack.posted(DM)[-1].text


async def test_files_shared_with_a_mention_in_the_ticket_thread_are_the_reporters(
    slack: SlackHarness,
) -> None:
    await file_report(slack, SHARED_CHANNEL)
    anchor = slack.posted(SHARED_CHANNEL)[0]
    shot = files_of(slack).share(PNG, "mention.png", "image/png")
    mention = files_of(slack).mention(
        MERCHANT, SHARED_CHANNEL, [shot], text="here it is", thread_ts=anchor.ts
    )
    # Slack sends the message event too; it starts with the mention, so it is left to this one.
    message = files_of(slack).event(
        MERCHANT, SHARED_CHANNEL, [shot], mention["text"], anchor.ts, "channel"
    )
    await slack.send(slack.signer.event(message), work=False)  # passed over: no work
    await slack.send(slack.signer.event(mention))
    await slack.settle()
    (row,) = await rows(slack)
    assert (row.name, row.status, row.internal) == ("mention.png", "stored", False)
    assert row.caption == "here it is"
    assert slack.fake.shared_files[0]["thread_ts"] == slack.alert().ts


async def test_files_shared_with_a_mention_in_the_team_thread_are_internal(
    slack: SlackHarness,
) -> None:
    await file_report(slack)
    alert = slack.alert()
    note = files_of(slack).share(LOG, "upstream.log", "text/plain", check_file_info=True)
    await slack.send(
        slack.signer.event(
            files_of(slack).mention(MEMBER, TEAM_CHANNEL, [note], thread_ts=alert.ts)
        )
    )
    await slack.settle()
    (row,) = await rows(slack)
    assert row.internal and row.name == "upstream.log" and row.status == "stored"


@pytest.mark.parametrize("outage", ["refused", "bad_gateway"])
async def test_files_info_unreachable_keeps_the_message_and_its_file(
    slack: SlackHarness, outage: str
) -> None:
    """files.info failing below the API (connection refused, a proxy's 502 page) when the
    event arrives: the message is still read, and the file asked about again by the download
    queue once Slack is back."""
    await file_report(slack)
    shot = files_of(slack).share(LOG, "outage.log", "text/plain", check_file_info=True)
    if outage == "refused":
        await slack.fake.refuse_connections()
    else:
        slack.fake.down_status = 502
    await share(slack, MERCHANT, DM, [shot], text="the log from the outage")
    if outage == "refused":
        await slack.fake.accept_connections()
    else:
        slack.fake.down_status = None
    slack.clock.advance(600)
    await slack.settle()
    await slack.settle()
    (row,) = await rows(slack)
    assert (row.status, row.size, row.caption) == ("stored", len(LOG), "the log from the outage")
    assert files_of(slack).downloads == [(shot["id"], TOKEN)]


async def test_a_members_command_with_files_in_the_team_thread_runs_and_keeps_them(
    slack: SlackHarness,
) -> None:
    """ "@bot ack INT-1" with a screenshot under the alert: the command runs (it is not filed as a
    note) and the screenshot is attached as internal."""
    await file_report(slack)
    alert = slack.alert()
    shot = files_of(slack).share(PNG, "dashboard.png", "image/png")
    await slack.send(
        slack.signer.event(
            files_of(slack).mention(MEMBER, TEAM_CHANNEL, [shot], "ack INT-1", thread_ts=alert.ts)
        )
    )
    await slack.settle()
    await slack.settle()
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None and ticket.status == "acknowledged"
    (row,) = await rows(slack)
    assert (row.name, row.internal, row.status) == ("dashboard.png", True, "stored")
    assert row.caption == ""


async def test_a_non_member_mentioning_with_files_in_the_team_thread_is_answered(
    slack: SlackHarness,
) -> None:
    await file_report(slack)
    alert = slack.alert()
    before = len(slack.fake.calls)
    shot = files_of(slack).share(PNG, "x.png", "image/png")
    await slack.send(
        slack.signer.event(
            files_of(slack).mention(OUTSIDER, TEAM_CHANNEL, [shot], "hello", thread_ts=alert.ts)
        )
    )
    await slack.settle()
    answers = [
        call
        for call in slack.fake.calls[before:]
        if call.method in ("chat.postMessage", "chat.postEphemeral")
    ]
    # Answered as for any mention; the files under the team's alert are not theirs to add.
    assert answers
    assert await rows(slack) == []
