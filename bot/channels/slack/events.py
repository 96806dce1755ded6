"""Events API: direct messages, replies in a ticket's thread, and mentions in shared channels
(with the files they share: a message that mentions the bot first reaches the desk only as an
`app_mention`, files included).

Bolt acknowledges every event before our listener runs, but in HTTP mode the 200 itself waits for
the listener's work (pending.py). Slack redelivers an event it got no 200 for (`X-Slack-Retry-Num`,
same `event_id`); the event id is recorded in the processed-updates table in the same transaction
as the work, so a redelivery does only what was not done (a crash before the commit: all of it).
"""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import Any

from slack_bolt.async_app import AsyncApp

from handlers import commands
from handlers.events import IncomingFile, Message
from handlers.messages import speaking, t

from .bridge import SlackBridge
from .files import files_of, with_file_info
from .inbound import (
    Where,
    answer_in,
    answer_privately,
    incoming,
    plain_text,
    strip_leading_mention,
)

log = logging.getLogger("deskbot.slack")

# Answers about tickets: in a shared channel they go to the asker alone (ephemeral).
PRIVATE_COMMANDS = frozenset({"status", "mytickets", "mine", *commands.TEAM})
# Message subtypes that are still a person writing; edits, joins, bot posts and the like are not.
PERSON_SUBTYPES = frozenset({None, "file_share", "thread_broadcast"})


class Events:
    def __init__(self, bridge: SlackBridge) -> None:
        self.bridge = bridge
        self.bot_user_id = ""

    def register(self, app: AsyncApp) -> None:
        app.event("message")(self.on_message)
        app.event("app_mention")(self.on_mention)

    async def _bot_user_id(self, context: dict[str, Any]) -> str:
        if not self.bot_user_id:
            self.bot_user_id = str(context.get("bot_user_id") or "")
        return self.bot_user_id

    async def on_message(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        if event.get("subtype") not in PERSON_SUBTYPES or event.get("bot_id"):
            return
        user_id = str(event.get("user") or "")
        if not user_id:
            return
        bot_user_id = await self._bot_user_id(context)
        text = str(event.get("text") or "")
        channel = str(event.get("channel") or "")
        files = files_of(event) if event.get("subtype") == "file_share" else ()
        delivery = str(body.get("event_id") or "") or None
        if event.get("channel_type") == "im":
            job = self._direct(user_id, channel, text, delivery, files)
            await self._handle_once(body, job, channel)
            return
        thread_ts = str(event.get("thread_ts") or "")
        if not thread_ts or thread_ts == event.get("ts"):
            return  # top-level channel chatter is not for the desk
        if bot_user_id and text.lstrip().startswith(f"<@{bot_user_id}"):
            return  # a command for the bot: the app_mention listener takes it
        if channel == self.bridge.config.team_channel:
            job = self._thread_note(user_id, channel, thread_ts, text, delivery, files)
        else:
            job = self._thread_reply(user_id, channel, thread_ts, text, delivery, files)
        await self._handle_once(body, job, None)

    async def on_mention(self, body: dict[str, Any], event: dict[str, Any], context: Any) -> None:
        user_id = str(event.get("user") or "")
        channel = str(event.get("channel") or "")
        if not user_id or not channel or event.get("bot_id"):
            return
        bot_user_id = await self._bot_user_id(context)
        raw = str(event.get("text") or "")
        text = strip_leading_mention(raw, bot_user_id)
        thread_ts = str(event.get("thread_ts") or "")
        where = Where(channel, thread_ts or str(event.get("ts") or "") or None)
        delivery = str(body.get("event_id") or "") or None
        # The message listener passes over a thread message that starts with the mention, and
        # over every top-level one: their files come in here. (Any other mention is also a
        # message event, which takes its files.)
        leading = bool(bot_user_id) and raw.lstrip().startswith(f"<@{bot_user_id}")
        files = files_of(event) if leading or not thread_ts else ()
        if files and thread_ts and channel == self.bridge.config.team_channel:
            job = self._team_thread_mention(user_id, where, thread_ts, text, delivery, files)
        else:
            job = self._converse(user_id, where, text, delivery, files)
        await self._handle_once(body, job, None)

    async def _team_thread_mention(
        self,
        user_id: str,
        where: Where,
        thread_ts: str,
        text: str,
        delivery: str | None,
        files: tuple[IncomingFile, ...],
    ) -> None:
        """A mention with files under an alert. A member's plain words and files are an
        internal note; a member's command ("@bot ack" with a screenshot) runs as it would
        without files, and the files are attached as internal. Anyone else is answered as
        for any mention (the files under the team's alert are not theirs to add)."""
        bridge = self.bridge
        if not bridge.is_member(user_id):
            await self._converse(user_id, where, text, delivery)
            return
        typed = plain_text(text)
        command = commands.parse(typed, in_flow=False, prefixes=bridge.desk.prefixes)
        if command is None:
            await self._thread_note(user_id, where.chat_id, thread_ts, text, delivery, files)
            return
        await self._converse(user_id, where, text, delivery)
        # Its own delivery id: the command's is recorded already, and would pass these over.
        files_delivery = f"{delivery}:files" if delivery else None
        await self._thread_note(user_id, where.chat_id, thread_ts, "", files_delivery, files)

    async def _handle_once(
        self, body: dict[str, Any], job: Coroutine[Any, Any, None], reply_to: str | None
    ) -> None:
        async def apologise() -> None:
            user_id = str((body.get("event") or {}).get("user") or "")
            if reply_to:
                with speaking(await self.bridge.language_of(user_id, ask_slack=False)):
                    sorry = Message(t("slack.failed"))
                await self.bridge.post(Where(reply_to), [sorry])

        user = (body.get("event") or {}).get("user")
        await self.bridge.work(job, apologise, who=str(user) if user else None)

    async def _direct(
        self,
        user_id: str,
        channel: str,
        text: str,
        delivery: str | None,
        files: tuple[IncomingFile, ...] = (),
    ) -> None:
        await self._converse(user_id, Where(channel), text, delivery, files)

    async def _converse(
        self,
        user_id: str,
        where: Where,
        text: str,
        delivery: str | None = None,
        files: tuple[IncomingFile, ...] = (),
    ) -> None:
        bridge = self.bridge
        name = await bridge.name_of(user_id)
        typed = plain_text(text)
        files = await with_file_info(bridge.client, files)
        async with bridge.lock(where.chat_id, user_id):
            private = self._private_here(user_id, where.chat_id, typed)
            reply_to = answer_privately(where, user_id) if private else answer_in(where, user_id)
            await bridge.handle(
                incoming(user_id, where, name=name, text=typed, delivery=delivery, files=files),
                reply_to,
            )

    def _private_here(self, user_id: str, channel: str, text: str) -> bool:
        """Whether answers to `text` must be seen by the writer alone. In a channel other than
        the team's and the DMs (a channel shared with merchants), a team member's answers can
        show any merchant's tickets, and a merchant's status or ticket list is theirs alone."""
        if channel == self.bridge.config.team_channel or channel.startswith("D"):
            return False
        if self.bridge.is_member(user_id):
            return True
        command = commands.parse(text, in_flow=False, prefixes=self.bridge.desk.prefixes)
        return command is not None and command[0] in PRIVATE_COMMANDS

    async def _thread_reply(
        self,
        user_id: str,
        channel: str,
        thread_ts: str,
        text: str,
        delivery: str | None,
        files: tuple[IncomingFile, ...] = (),
    ) -> None:
        """In a shared channel, the reporter writing in their ticket's thread (or while the desk
        is asking them something there) is talking to the desk, mention or not."""
        if await self.bridge.talks_in_thread(channel, thread_ts, user_id):
            await self._converse(user_id, Where(channel, thread_ts), text, delivery, files)

    async def _thread_note(
        self,
        user_id: str,
        channel: str,
        thread_ts: str,
        text: str,
        delivery: str | None,
        files: tuple[IncomingFile, ...] = (),
    ) -> None:
        """A member's plain reply under a ticket's alert: an internal note, never sent to the
        merchant. Only Reply to merchant and the reply commands reach the reporter."""
        bridge = self.bridge
        if not bridge.is_member(user_id):
            return
        reference = await bridge.alert_ticket(thread_ts)
        if reference is None:
            return
        name = await bridge.name_of(user_id)
        where = Where(channel, thread_ts)
        if files:
            files = await with_file_info(bridge.client, files)
            # Files under an alert: internal attachments; the thread shows them already.
            await bridge.team_files(
                incoming(
                    user_id, where, name=name, text=plain_text(text), files=files, delivery=delivery
                ),
                reference,
                answer_privately(where, user_id),
            )
            return
        await bridge.team_action(
            incoming(user_id, where, name=name, delivery=delivery),
            "note",
            reference,
            plain_text(text),
            answer_privately(where, user_id),
        )
