"""A follow-up longer than `max_followup_length` (a pasted log) is not refused: its first part is
added to the ticket inline and the whole text is attached as details.txt; taking the message
back ("Not about INT-1") takes the file back too."""

from __future__ import annotations

from pathlib import Path

from handlers.desk import Desk
from storage.files import FileStore
from tests.slack.harness import MERCHANT, report_values, running_slack
from tests.support import Chat, sw
from tests.test_attachments import attachments_of, fdesk, files, queue_for

__all__ = ["fdesk", "files"]  # fixtures used by name

LOG = "Here is our log for INT-1:\n" + "\n".join(
    f"09:{i % 60:02d} POST /third-parties/payments/initiate-ussd-push-request 500 req-{i}"
    for i in range(80)
)


async def test_a_long_followup_keeps_its_first_part_inline_and_attaches_the_whole(
    fdesk: Desk, files: FileStore
) -> None:
    limit = fdesk.settings.limits.max_followup_length
    assert len(LOG) > limit
    alice = Chat(fdesk, "alice")
    await alice.report()
    text = await alice.say(LOG)
    assert (
        f"Your message is {len(LOG)} characters: the first part is added to INT-1 and the "
        "whole text is attached as details.txt."
    ) in text
    assert "I've added your message to INT-1" in text
    (row,) = await attachments_of(fdesk.store, "INT-1")
    assert (row.name, row.status, row.mime_type) == ("details.txt", "stored", "text/plain")
    assert (await files.read(str(row.storage_name))).decode() == LOG
    async with fdesk.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
        assert ticket is not None
        inline = (await tx.tickets.messages(ticket))[-1].text
    assert inline == LOG[: limit - 1].rstrip() + "…"
    # The team's copy of the file is queued like any other attachment.
    await queue_for(fdesk, files).settle()
    # "Not about INT-1" takes the message back, and the file that came with it.
    await alice.press_label("Not about INT-1")
    assert await attachments_of(fdesk.store, "INT-1") == []


async def test_the_long_followup_answer_in_swahili(fdesk: Desk) -> None:
    neema = Chat(fdesk, "neema")
    await neema.report()
    await neema.say("lugha sw")
    text = await neema.say(LOG)
    assert sw("followup.long", length=len(LOG), reference="INT-1") in text


async def test_without_an_attachment_folder_it_is_still_refused(bare_desk: Desk) -> None:
    alice = Chat(bare_desk, "alice")
    await alice.report()
    limit = bare_desk.settings.limits.max_followup_length
    assert f"{len(LOG)} characters" in await alice.say(LOG)
    assert str(limit) in alice.text


async def test_a_long_followup_in_a_slack_dm(tmp_path: Path) -> None:
    """Slack takes messages up to 40,000 characters: a pasted log past the 4,000 a follow-up
    keeps inline arrives whole, and the team gets details.txt in the alert's thread."""
    async with running_slack(tmp_path) as slack:
        await slack.command(MERCHANT, "report", channel=f"D{MERCHANT}")
        await slack.settle()
        view = slack.fake.calls_of("views.open")[-1].params["view"]
        await slack.submit(MERCHANT, view, report_values("Payout reversed", "REVERSED"))
        await slack.settle()
        await slack.dm(MERCHANT, LOG)
        await slack.settle()
        told = "\n".join(m.text for m in slack.posted(f"D{MERCHANT}"))
        assert "the whole text is attached as details.txt" in told
        async with slack.store.transaction() as tx:
            ticket = await tx.tickets.get("INT-1")
            assert ticket is not None
            (row,) = await tx.attachments.for_ticket(ticket.id)  # type: ignore[arg-type]
        assert (row.name, row.status) == ("details.txt", "stored")
        (shared,) = slack.fake.shared_files
        assert shared["content"].decode() == LOG
        assert shared["thread_ts"] == slack.alert().ts
