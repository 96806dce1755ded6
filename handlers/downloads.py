"""The download queue: attachment rows waiting for their bytes are leased, fetched through
their channel's API, checked (size, emptiness, content against name), stored, and handed to
the team. A fetch that fails for a passing reason is tried again with the outbox's backoff;
one that cannot succeed is marked failed and the sender is told why.

Like the outbox, this is rows, not memory: a restart, a crash or a second process picks up
whatever is still pending.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from handlers.attaching import AttachmentSettings, team_copy
from handlers.clock import Clock
from handlers.delivery import backoff
from handlers.events import Message
from handlers.filetypes import human_size, is_text, matches_extension, sniff
from handlers.hidden import DELETE_HINT, listed
from handlers.messages import speaking, t
from handlers.notify import NOTICE, Notifier, payload
from handlers.ops import metrics
from handlers.redaction import CARD, CREDENTIALS, CVV, Redacted, redact
from storage.files import FileStore
from storage.models import Attachment, Ticket
from storage.store import Store, Transaction

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
BATCH = 20
# Fetches in flight at once.
PARALLEL = 4
# A download that keeps failing this many times is given up (about a day with the backoff cap).
MAX_ATTEMPTS = 300
# Text attachments longer than this (characters) are redacted in a worker thread: inline, a
# 1 MB log held the event loop about 1.2 s, through a thread its longest stall was 0.25 s;
# below about 16 KB the hand-over costs as much as the work (benchmarks/redaction_thread.py).
THREAD_ABOVE = 16 * 1024

# Reasons a file is not kept, each with a text for its sender.
TOO_BIG, EMPTY, MISMATCH, UNAVAILABLE = "too_big", "empty", "mismatch", "unavailable"


class FetchError(Exception):
    """A download failed. `reason` (TOO_BIG, UNAVAILABLE...) when trying again cannot help."""

    def __init__(self, message: str, reason: str | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class FileRef:
    """What a channel needs to fetch one file."""

    platform_file_id: str
    source: str | None
    name: str
    declared_size: int | None


class Fetcher(Protocol):
    async def fetch(self, ref: FileRef, max_bytes: int) -> bytes:
        """The file's bytes; FetchError(reason=TOO_BIG) past `max_bytes`, without reading on."""
        ...


# Called on every text attachment's content, in its sender's language, before it is stored
# or forwarded: the secret redaction (handlers/redaction.py) unless a test gives another.
TextFilter = Callable[[str, str | None], Redacted]


def keep_text(text: str, language: str | None = None) -> Redacted:
    """A filter that hides nothing (for tests that look at other things)."""
    return Redacted(text)


class DownloadQueue:
    def __init__(
        self,
        store: Store,
        fetchers: Mapping[str, Fetcher],
        files: FileStore,
        clock: Clock,
        notifier: Notifier,
        settings: AttachmentSettings,
        text_filter: TextFilter = redact,
        lease: timedelta = LEASE,
    ) -> None:
        self.store = store
        self.fetchers = dict(fetchers)
        self.files = files
        self.clock = clock
        self.notifier = notifier
        self.settings = settings
        self.text_filter = text_filter
        self.lease = lease
        self.on_outbox: Callable[[], None] | None = None
        self._wake = asyncio.Event()
        self._slots = asyncio.Semaphore(PARALLEL)

    def wake(self) -> None:
        self._wake.set()

    async def run(self, poll_seconds: float = 5.0) -> None:
        """Fetch until cancelled; woken by `wake()` when a turn announced files."""
        while True:
            self._wake.clear()
            try:
                await self.process_due()
            except Exception:
                log.exception("attachment download pass failed")
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(poll_seconds):
                    await self._wake.wait()

    async def process_due(self) -> int:
        """Fetch every row due now; returns how many were handled (stored, failed or retried)."""
        done = 0
        while True:
            async with self.store.transaction() as tx:
                rows = await tx.attachments.claim_due(
                    list(self.fetchers), self.clock.now(), self.lease, BATCH
                )
            if not rows:
                return done
            await asyncio.gather(*(self._guarded(row) for row in rows))
            done += len(rows)
            if len(rows) < BATCH:
                return done

    async def _guarded(self, row: Attachment) -> None:
        async with self._slots:
            try:
                await self.handle(row)
            except Exception:
                # A bug or a database hiccup: the lease runs out and the row is tried again.
                log.exception("attachment %s could not be handled", row.id)

    async def handle(self, row: Attachment) -> None:
        """Fetch, check and store one leased row."""
        limit = self.settings.max_bytes
        ref = FileRef(row.platform_file_id, row.source, row.name, row.declared_size)
        try:
            data = await self.fetchers[row.channel].fetch(ref, limit)
        except FetchError as error:
            if error.reason is not None:
                await self._fail(row, error.reason, str(error))
            else:
                await self._retry(row, error, error.retry_after)
            return
        except Exception as error:
            await self._retry(row, error, None)
            return
        if not data:
            await self._fail(row, EMPTY, "no bytes")
            return
        if len(data) > limit:
            await self._fail(row, TOO_BIG, f"{len(data)} bytes")
            return
        mime = sniff(data)
        if not matches_extension(row.name, mime):
            await self._fail(row, MISMATCH, mime)
            return
        hidden: tuple[str, ...] = ()
        if is_text(mime):
            # Secrets are cut before the bytes touch the disk: no copy is ever stored.
            language = await self._language(row)
            with speaking(language):
                result = await self._filtered(data.decode("utf-8"), language)
            data, hidden = result.text.encode("utf-8"), result.kinds
        name = await self.files.put(data)
        now = self.clock.now()
        async with self.store.transaction() as tx:
            where = await tx.attachments.stored(
                row.id,  # type: ignore[arg-type]
                now,
                mime_type=mime,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                storage_name=name,
            )
            ticket = None
            if where is not None and where[0] is not None:
                ticket = await tx.attachments.ticket_of(where[0])
                fresh = await tx.attachments.get(row.id)  # type: ignore[arg-type]
                if ticket is not None and fresh is not None:
                    await team_copy(self.notifier, tx, ticket, fresh, now)
            if where is not None and hidden:
                await self._tell_hidden(tx, row, hidden, ticket)
        if hidden:
            metrics.redacted(hidden)
        self._woke_outbox(tx)

    async def _filtered(self, text: str, language: str) -> Redacted:
        """The text filter's result; a long text's in a worker thread (which gets a copy of the
        context, so the markers are still in `language`)."""
        if len(text) <= THREAD_ABOVE:
            return self.text_filter(text, language)
        return await asyncio.to_thread(self.text_filter, text, language)

    async def _tell_hidden(
        self, tx: Transaction, row: Attachment, kinds: tuple[str, ...], ticket: Ticket | None
    ) -> None:
        """Like a message with a secret: recorded (kinds only) and its sender told."""
        channel, _, user_id = row.owner.partition(":")
        reference = ticket.reference if ticket is not None else None
        tx.redactions.record(channel, row.chat_id, user_id, kinds, self.clock.now(), reference)
        with speaking(await self._language(row, tx)):
            lines = [t("attach.redacted", what=listed(kinds), name=row.name)]
            if CREDENTIALS.intersection(kinds):
                lines.append(t("redaction.rotate"))
            if CARD in kinds or CVV in kinds:
                lines.append(t("redaction.card"))
            deletable = row.deletable_id is not None
            lines.append(t("redaction.deleted" if deletable else "redaction.delete_yourself"))
        # The message that brought the file goes with this notice, as for a typed secret.
        hints: dict[str, Any] = {DELETE_HINT: row.deletable_id} if row.deletable_id else {}
        tx.outbox.add(
            key=f"{NOTICE}:attachment-redacted:{row.id}",
            channel=row.channel,
            chat_id=row.chat_id,
            kind=NOTICE,
            payload=payload(Message("\n".join(lines)), **hints),
            now=self.clock.now(),
            thread_id=ticket.reporter_thread_id if ticket is not None else None,
        )

    async def _language(self, row: Attachment, tx: Transaction | None = None) -> str:
        """The sender's language: their pick or what the desk last used with them."""
        if tx is None:
            async with self.store.transaction() as own:
                return await self._language(row, own)
        channel, _, user_id = row.owner.partition(":")
        known = await tx.people.language(channel, user_id)
        return known.language if known else self.notifier.default_language

    async def _retry(self, row: Attachment, error: Exception, after: float | None) -> None:
        if row.attempts + 1 >= MAX_ATTEMPTS:
            await self._fail(row, UNAVAILABLE, f"gave up: {error}")
            return
        delay = after if after is not None else backoff(row.attempts)
        log.info("attachment %s will be fetched again in %.0fs: %s", row.id, delay, error)
        async with self.store.transaction() as tx:
            await tx.attachments.retry(
                row.id,  # type: ignore[arg-type]
                self.clock.now() + timedelta(seconds=delay),
                f"{type(error).__name__}: {error}",
            )

    async def _fail(self, row: Attachment, reason: str, error: str) -> None:
        log.warning("attachment %s not kept (%s): %s", row.id, reason, error)
        async with self.store.transaction() as tx:
            where = await tx.attachments.failed(row.id, reason, error)  # type: ignore[arg-type]
            if where is None:
                return
            ticket = await tx.attachments.ticket_of(where[0]) if where[0] is not None else None
            await self._tell_sender(tx, row, reason, error, ticket)
        self._woke_outbox(tx)

    async def _tell_sender(
        self, tx: Transaction, row: Attachment, reason: str, detail: str, ticket: Ticket | None
    ) -> None:
        reference = ticket.reference if ticket is not None else "—"
        language = await self._language(row, tx)
        limit = self.settings.max_bytes
        with speaking(language):
            if reason == TOO_BIG:
                size = human_size(row.declared_size or limit + 1)
                text = t("attach.too_big", name=row.name, size=size, limit=human_size(limit))
            elif reason == EMPTY:
                text = t("attach.empty", name=row.name)
            elif reason == MISMATCH:
                text = t("attach.mismatch", name=row.name, detected=detail, reference=reference)
            else:
                text = t("attach.unavailable", name=row.name, reference=reference)
        if not row.internal:
            tx.outbox.add(
                key=f"{NOTICE}:attachment:{row.id}",
                channel=row.channel,
                chat_id=row.chat_id,
                kind=NOTICE,
                payload=payload(Message(text)),
                now=self.clock.now(),
                thread_id=ticket.reporter_thread_id if ticket is not None else None,
            )
        if ticket is not None:
            with self.notifier.for_team():
                entry = t(
                    "timeline.attachment_failed",
                    reference=ticket.reference,
                    name=row.name,
                    reason=reason.replace("_", " "),
                )
            self.notifier.timeline(tx, ticket, entry, self.clock.now())

    def _woke_outbox(self, tx: Transaction) -> None:
        if tx.outbox.added and self.on_outbox is not None:
            self.on_outbox()

    async def settle(self) -> None:
        """Until nothing is due now (tests and the console await this instead of sleeping)."""
        while await self.process_due():
            pass
