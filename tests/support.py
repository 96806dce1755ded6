"""Test helpers: a user typing into the desk, and a sender that keeps what it was given."""

from __future__ import annotations

import logging

from handlers.desk import Desk
from handlers.escalation.policy import EscalationPolicy
from handlers.escalation.promise import paging_promise
from handlers.events import Incoming, Message
from handlers.messages import speaking, translate
from storage.outbox import Delivery


def sw(key: str, **values: object) -> str:
    """The Kiswahili catalog's text for `key`, placeholders filled in."""
    text = translate("sw", key)
    return text.format(**values) if values else text


def paging_told(language: str = "en", leads: bool = False) -> str:
    """What a Critical reporter is told about paging under the default escalation policy."""
    with speaking(language):
        told = paging_promise(EscalationPolicy(), "critical", leads)
    assert told is not None
    return told


class Chat:
    """One console user talking to the desk, remembering the last answer."""

    def __init__(
        self, desk: Desk, user: str, channel: str = "console", language_hint: str | None = None
    ) -> None:
        self.desk = desk
        self.user = user
        self.channel = channel
        # What the platform says about the user's language (Telegram language_code).
        self.language_hint = language_hint
        self.last: list[Message] = []

    def _incoming(self, text: str = "", choice: str | None = None) -> Incoming:
        return Incoming(
            channel=self.channel,
            chat_id=self.user,
            user_id=self.user,
            display_name=self.user.title(),
            text=text,
            choice=choice,
            language_hint=self.language_hint,
        )

    async def say(self, text: str) -> str:
        self.last = await self.desk.handle(self._incoming(text=text))
        return self.text

    async def press(self, value: str) -> str:
        self.last = await self.desk.handle(self._incoming(choice=value))
        return self.text

    async def press_label(self, label: str) -> str:
        for message in reversed(self.last):
            for choice in message.choices:
                if choice.label == label:
                    return await self.press(choice.value)
        raise AssertionError(f"no choice {label!r} in {self.last!r}")

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.last)

    @property
    def choices(self) -> list[str]:
        return [c.label for m in self.last for c in m.choices]

    async def report(
        self,
        title: str = "USSD push fails",
        details: str = "Every initiate-ussd-push-request returns 500, request id r-1",
        environment: str = "Production",
        severity: str = "Critical",
    ) -> str:
        await self.say("/report")
        await self.say(title)
        await self.say(details)
        if "files:continue" in [c.value for m in self.last for c in m.choices]:
            await self.press("files:continue")  # no screenshots or logs
        await self.press_label(environment)
        await self.press_label(severity)
        return await self.press_label("Confirm")

    async def ripoti(self, *words: str) -> str:
        """A report typed in Swahili words: `ripoti`, then each answer in turn; after the
        title and details, `endelea` goes past the optional files step (offered by a desk with a
        file store)."""
        if len(words) >= 2 and self.desk.files is not None:
            words = (*words[:2], "endelea", *words[2:])
        await self.say("ripoti")
        for word in words[:-1]:
            await self.say(word)
        return await self.say(words[-1])


class RecordingSender:
    """A channel sender that records deliveries; optionally fails the next ones."""

    def __init__(self) -> None:
        self.items: list[Delivery] = []
        self.failures: list[Exception] = []

    async def deliver(self, item: Delivery, alert_message_id: str | None) -> str | None:
        if self.failures:
            raise self.failures.pop(0)
        self.items.append(item)
        return f"m{item.id}"

    def texts(self, chat_id: str | None = None, kind: str | None = None) -> list[str]:
        return [
            i.payload["text"]
            for i in self.items
            if (chat_id is None or i.chat_id == chat_id) and (kind is None or i.kind == kind)
        ]


def desk_errors(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    """ERROR records (or any with a traceback) a test can blame on the desk. Left out: asyncio's
    notice that a pending asyncpg cancel task was garbage collected. It belongs to an earlier
    test's closed event loop (a query cancelled at its teardown) and surfaces in whichever test
    the collector happens to run in."""
    return [
        r
        for r in records
        if (r.levelno >= logging.ERROR or r.exc_info)
        and not (
            r.name == "asyncio"
            and "Task was destroyed but it is pending" in r.getMessage()
            and "asyncpg" in r.getMessage()
        )
    ]
