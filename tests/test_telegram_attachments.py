"""Attachments on Telegram, end to end: the real PTB against the fake Bot API (getFile and the
file download path), a real database, the download queue and the outbox running."""

from __future__ import annotations

import asyncio
import hashlib
import stat
import struct
from datetime import UTC, datetime
from pathlib import Path

from storage.models import Attachment
from tests.fakes.telegram_api import ApiCall
from tests.fakes.telegram_objects import FakeUser
from tests.telegram_harness import MEMBER, MERCHANT, TEAM, DeskOnTelegram, desk_on_telegram

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    + struct.pack(">II", 640, 480)
    + b"\x08\x02\x00\x00\x00"
    + b"error screen " * 40
)
LOG = b"2026-11-30 09:12:01 POST /third-parties/payments/initiate-ussd-push-request 500\n" * 20


async def send_file(env: DeskOnTelegram, user: FakeUser, kind: str, data: bytes, **kw) -> ApiCall:
    """`user` sends a file; returns the desk's first answer."""
    mark = env.api.mark()
    await env.deliver(env.api.make_file_update(user, kind, data, **kw))
    return await env.answer(user.id, after=mark)


async def attachments_of(env: DeskOnTelegram, reference: str) -> list[Attachment]:
    async with env.runtime.store.transaction() as tx:
        ticket = await tx.tickets.get(reference)
        assert ticket is not None
        return list(await tx.attachments.for_ticket(ticket.id))  # type: ignore[arg-type]


async def team_file(env: DeskOnTelegram, method: str, after: int) -> ApiCall:
    return await env.api.wait_call(method, lambda c: c.chat_id == TEAM.id, after=after)


def replied_to(call: ApiCall) -> int:
    return int(call.json("reply_parameters")["message_id"])


async def test_photo_without_caption_in_a_report_reaches_the_alert_thread(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        asked = await env.say(MERCHANT, "Checkout page shows an error")
        assert "Screenshots and logs help" in asked.params["text"]
        await env.say(MERCHANT, "After the phone number, payment fails with 500")
        got = await send_file(env, MERCHANT, "photo", PNG)
        assert "Continue" in got.button_labels
        assert "Send more screenshots or logs now, or tap Continue" in got.params["text"]
        mark = await env.press(MERCHANT, got, "Continue")
        question = await env.answer(MERCHANT.id, after=mark, with_buttons="Production")
        mark = await env.press(MERCHANT, question, "Production")
        question = await env.answer(MERCHANT.id, after=mark, with_buttons="Major")
        mark = await env.press(MERCHANT, question, "Major")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        assert "Attachments: 1" in summary.params["text"]
        mark = await env.press(MERCHANT, summary, "Confirm")
        alert = await env.answer(TEAM.id, after=mark, with_buttons="Resolve")
        reference = await env.alert_linked(alert)
        photo = await team_file(env, "sendPhoto", mark)
        await env.alert_linked(alert)
        # A reply to the alert, sent by the file_id the merchant's photo has (no upload).
        assert replied_to(photo) == alert.response["result"]["message_id"]
        update_photo = env.api.files[photo.params["photo"]]
        assert update_photo.data == PNG and not photo.files
        assert reference in photo.params["caption"] and "image/png" in photo.params["caption"]
        (row,) = await attachments_of(env, reference)
        assert (row.status, row.mime_type, row.size) == ("stored", "image/png", len(PNG))
        assert row.sha256 == hashlib.sha256(PNG).hexdigest() and row.number == 1
        folder = tmp_path / "attachments"
        assert (folder / row.sha256).read_bytes() == PNG
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_a_document_after_the_report_joins_the_open_ticket_with_an_undo(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "USSD push fails")
        reference = await env.alert_linked(alert)
        mark = env.api.mark()
        added = await send_file(
            env,
            MERCHANT,
            "document",
            LOG,
            file_name="server.log",
            mime_type="text/plain",
            caption="the log from our side",
        )
        assert f"Added server.log to {reference}" in added.params["text"]
        assert added.button_labels == [f"Not about {reference}"]
        document = await team_file(env, "sendDocument", mark)
        assert replied_to(document) == alert.response["result"]["message_id"]
        assert "the log from our side" in document.params["caption"]
        (row,) = await attachments_of(env, reference)
        assert (row.name, row.mime_type, row.status) == ("server.log", "text/plain", "stored")
        mark = await env.press(MERCHANT, added, f"Not about {reference}")
        removed = await env.answer(MERCHANT.id, after=mark)
        assert f"Taken server.log off {reference}" in removed.params["text"]
        assert await attachments_of(env, reference) == []
        note = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == TEAM.id and "is not about" in c.params["text"],
            after=mark,
        )
        assert reference in note.params["text"]


async def test_what_the_desk_cannot_take_gets_a_short_answer(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        for fields in (
            {"sticker": {"file_id": "s1", "file_unique_id": "u1", "width": 512, "height": 512,
                         "is_animated": False, "is_video": False, "type": "regular"}},
            {"location": {"latitude": -6.8, "longitude": 39.28}},
            {"contact": {"phone_number": "+255754111222", "first_name": "Juma"}},
        ):  # fmt: skip
            mark = env.api.mark()
            await env.deliver(env.api.make_message_update(MERCHANT, fields))
            answer = await env.answer(MERCHANT.id, after=mark)
            assert "I can't add that to a ticket" in answer.params["text"]
            assert "photos" in answer.params["text"]


async def test_refused_files_name_the_reason(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Payout fails")
        reference = await env.alert_linked(alert)
        empty = await send_file(env, MERCHANT, "document", b"", file_name="empty.txt")
        assert "empty.txt is empty" in empty.params["text"]
        big = await send_file(
            env, MERCHANT, "document", b"x", file_name="dump.zip", declared_size=25 * 1024 * 1024
        )
        assert "up to 20 MB" in big.params["text"] and "25 MB" in big.params["text"]
        # Content that is not what the name says: refused once the bytes are seen.
        mark = env.api.mark()
        await send_file(env, MERCHANT, "document", PNG, file_name="invoice.pdf")
        told = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and "does not contain" in c.params["text"],
            after=mark,
        )
        assert "invoice.pdf" in told.params["text"] and "image/png" in told.params["text"]
        rows = await attachments_of(env, reference)
        assert [(r.name, r.status, r.reason) for r in rows] == [
            ("invoice.pdf", "failed", "mismatch")
        ]


async def test_a_file_over_the_download_limit_is_refused_after_getfile(tmp_path: Path):
    async with desk_on_telegram(tmp_path, extra={"attachments": {"max_bytes": 2048}}) as env:
        alert = await env.report(MERCHANT, "Webhook not received")
        await env.alert_linked(alert)
        mark = env.api.mark()
        # The platform did not say the size: the download itself stops at the limit.
        await send_file(env, MERCHANT, "document", LOG * 3, file_name="big.log", declared_size=None)
        told = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and "up to 2 KB" in c.params["text"],
            after=mark,
        )
        assert "big.log" in told.params["text"]


async def test_a_hostile_name_is_never_a_path(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Login fails")
        reference = await env.alert_linked(alert)
        mark = env.api.mark()
        added = await send_file(
            env, MERCHANT, "document", LOG, file_name="../../etc/passwd\x07\n.txt"
        )
        assert "Added passwd .txt" in added.params["text"]
        await team_file(env, "sendDocument", mark)
        (row,) = await attachments_of(env, reference)
        assert row.name == "passwd .txt"
        stored = sorted(p.name for p in (tmp_path / "attachments").iterdir())
        assert stored == [row.sha256]
        assert not (tmp_path / "etc").exists()


async def test_a_long_caption_keeps_its_whole_text_as_details_txt(tmp_path: Path):
    caption = ("Payout to 0754 111 222 failed with REVERSED. " * 100)[:4096]
    async with desk_on_telegram(tmp_path) as env:
        await env.say(MERCHANT, "/report")
        await env.say(MERCHANT, "Payout reversed")
        mark = env.api.mark()
        await env.deliver(env.api.make_file_update(MERCHANT, "photo", PNG, caption=caption))
        told = await env.answer(MERCHANT.id, after=mark)
        assert "whole text is attached as details.txt" in told.params["text"]
        got = await env.answer(MERCHANT.id, after=mark, with_buttons="Continue")
        mark = await env.press(MERCHANT, got, "Continue")
        question = await env.answer(MERCHANT.id, after=mark, with_buttons="Production")
        mark = await env.press(MERCHANT, question, "Production")
        question = await env.answer(MERCHANT.id, after=mark, with_buttons="Minor")
        mark = await env.press(MERCHANT, question, "Minor")
        summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
        mark = await env.press(MERCHANT, summary, "Confirm")
        alert = await env.answer(TEAM.id, after=mark, with_buttons="Resolve")
        reference = await env.alert_linked(alert)
        await team_file(env, "sendDocument", mark)
        photo = await team_file(env, "sendPhoto", mark)
        assert len(photo.params["caption"]) <= 1024
        ticket = await env.ticket(reference)
        assert len(ticket.description) == 4000 and ticket.description.endswith("…")
        rows = await attachments_of(env, reference)
        details = next(r for r in rows if r.name == "details.txt")
        assert (tmp_path / "attachments" / str(details.sha256)).read_text() == caption


async def test_a_failed_download_is_retried_and_the_ticket_says_pending(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Payout stuck")
        reference = await env.alert_linked(alert)
        env.api.down_status = 502  # the Bot API is unreachable for a while
        await send_file_quietly(env, MERCHANT, "photo", PNG)
        await env.api.wait_call("getFile", ok_only=False)
        row = await pending_after_a_try(env, reference)
        assert (row.status, row.attempts) == ("pending", 1) and "502" in str(row.last_error)
        mark = env.api.mark()
        env.api.down_status = None
        clock = env.runtime.clock
        clock.advance(2)  # type: ignore[attr-defined]
        env.runtime.downloads.wake()
        photo = await team_file(env, "sendPhoto", mark)
        assert replied_to(photo) == alert.response["result"]["message_id"]
        (row,) = await attachments_of(env, reference)
        assert row.status == "stored"


async def send_file_quietly(env: DeskOnTelegram, user: FakeUser, kind: str, data: bytes) -> None:
    """While the Bot API is down the desk's answer waits in the outbox: nothing to await."""
    await env.deliver(env.api.make_file_update(user, kind, data))


async def pending_after_a_try(env: DeskOnTelegram, reference: str) -> Attachment:
    while True:
        committed = env.committed
        rows = await attachments_of(env, reference)
        if rows and rows[0].attempts:
            return rows[0]
        await asyncio.wait_for(committed.wait(), 5.0)


async def test_a_members_file_replying_to_an_alert_is_internal(tmp_path: Path):
    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Callback missing")
        reference = await env.alert_linked(alert)
        mark = env.api.mark()
        update = env.api.make_file_update(
            MEMBER,
            "document",
            LOG,
            file_name="provider.log",
            chat=TEAM,
            reply_to=alert.response["result"]["message_id"],
        )
        await env.deliver(update)
        answer = await env.answer(TEAM.id, after=mark)
        assert f"Added provider.log to {reference} as internal" in answer.params["text"]
        (row,) = await wait_stored(env, reference)
        assert row.internal and row.owner == f"telegram:{MEMBER.id}"
        # Already in the group: no copy is posted back, and the merchant hears nothing of it.
        await env.settled()
        assert env.api.calls_of("sendDocument", after=mark) == []
        assert not any(
            "provider.log" in c.params.get("text", "")
            for c in env.api.calls_of("sendMessage", after=mark)
            if c.chat_id == MERCHANT.id
        )


async def wait_stored(env: DeskOnTelegram, reference: str) -> list[Attachment]:
    while True:
        committed = env.committed
        rows = await attachments_of(env, reference)
        if rows and all(r.status == "stored" for r in rows):
            return rows
        await asyncio.wait_for(committed.wait(), 5.0)


async def test_secrets_in_a_text_attachment_are_hidden_before_it_is_stored(tmp_path: Path):
    from tests.test_redaction_e2e import FRAGMENTS, MESSAGE, SECRETS

    async with desk_on_telegram(tmp_path) as env:
        alert = await env.report(MERCHANT, "Payments fail with 401")
        reference = await env.alert_linked(alert)
        mark = env.api.mark()
        update = env.api.make_file_update(
            MERCHANT, "document", MESSAGE.encode(), file_name="setup.txt", caption="our setup"
        )
        await env.deliver(update)
        told = await env.api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and "setup.txt before saving it" in c.params["text"],
            after=mark,
        )
        assert "API key" in told.params["text"] and "replace it now" in told.params["text"]
        # As for a typed secret: the message that brought the file is deleted from the chat.
        assert "I deleted your original message from this chat." in told.params["text"]
        deleted = await env.api.wait_call("deleteMessage", after=mark)
        assert int(deleted.params["message_id"]) == update["message"]["message_id"]
        assert env.api.was_deleted(MERCHANT.id, update["message"]["message_id"])
        # The team gets the stored copy, uploaded: not the merchant's original by file_id.
        document = await team_file(env, "sendDocument", mark)
        sent = document.files["document"]
        assert b"[hidden: API key]" in sent and b"ORD20261130A7K9" in sent
        (row,) = await attachments_of(env, reference)
        stored = (tmp_path / "attachments" / str(row.sha256)).read_bytes()
        assert stored == sent
        for secret in (*SECRETS, *FRAGMENTS):
            assert secret.encode() not in stored and secret.encode() not in sent
        async with env.runtime.store.transaction() as tx:
            recorded = await tx.redactions.since(datetime(2000, 1, 1, tzinfo=UTC))
        assert any("api_key" in r.kinds and r.ticket_reference == reference for r in recorded)
