"""What the desk does with each Telegram update.

Private chats are merchants talking to the engine. The team group gets team commands, alert
buttons and replies to alerts (a reply is a note on that ticket; `/reply text` as a reply goes to
the merchant). Other groups get a pointer to the private chat. Every update carries its
update_id into the engine, which records it in the same transaction, so a redelivered update
is handled once.

The engine's answers are written to the outbox in that same transaction (and sent from there at
once), so an update whose work committed never loses its answers. Answering a button press
(answerCallbackQuery) and editing the pressed message come after the work and are best effort:
Telegram being unreachable for them must not cost the press itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from typing import Any

from telegram import CallbackQuery, Update
from telegram import Message as TgMessage
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.channels.telegram.inbound import CHANNEL, from_callback, from_message, pressed_label
from bot.channels.telegram.render import MAX_TEXT, chosen_suffix, utf16_len
from bot.channels.telegram.sender import TelegramSender
from handlers import commands, team_view
from handlers.desk import Desk, ReplyTo
from handlers.events import Incoming, Message
from handlers.i18n.catalogs import normalise_language
from handlers.messages import speaking, t
from handlers.references import looks_like_reference
from storage.store import Store

log = logging.getLogger(__name__)

# Team commands that, sent as a reply to an alert, act on that alert's ticket.
CONTEXT_ACTIONS = ("ack", "take", "assign", "resolve", "note", "reply")
ANSWER_LIMIT = 200  # answerCallbackQuery shows at most 200 characters


class TelegramRouter:
    def __init__(self, desk: Desk, store: Store, sender: TelegramSender, team_chat_id: str) -> None:
        self.desk = desk
        self.store = store
        self.sender = sender
        self.team_chat_id = team_chat_id
        self._courtesies: set[asyncio.Task[None]] = set()

    @property
    def bot_username(self) -> str:
        # Updates are only routed after the Application initialised the bot (getMe).
        return self.sender.bot.username

    async def handle(self, update: Update) -> None:
        delivery = str(update.update_id)
        if update.callback_query is not None:
            await self._press(update.callback_query, delivery)
        elif update.message is not None:
            await self._message(update.message, delivery)
        # Edited messages, channel posts and the like are not conversation turns.

    # typed messages -------------------------------------------------------------------------
    async def _message(self, message: TgMessage, delivery: str) -> None:
        incoming = from_message(message, self.bot_username)
        if incoming is None:
            return
        incoming = replace(incoming, delivery_id=delivery)
        chat = message.chat
        if chat.type == ChatType.PRIVATE:
            # A bot may delete messages in a private chat (one holding a secret is deleted).
            incoming = replace(incoming, deletable_id=str(message.message_id))
            await self._guarded(chat.id, self.desk.handle, incoming, ReplyTo(str(chat.id)))
        elif str(chat.id) == self.team_chat_id:
            await self._team_message(message, incoming)
        elif (
            commands.parse(incoming.text, False, self.desk.prefixes) is not None
            and incoming.text[:1] == "/"
        ):
            with speaking(self._language(incoming)):
                text = t("telegram.private_only", username=self.bot_username)
            await self._say(chat.id, Message(text), reply_to=message.message_id)

    async def _team_message(self, message: TgMessage, incoming: Incoming) -> None:
        parsed = commands.parse(incoming.text, in_flow=False, prefixes=self.desk.prefixes)
        if incoming.text[:1] != "/":
            parsed = None  # in the group, only slash commands are commands
        reference = await self._replied_ticket(message)
        chat_id = message.chat.id
        reply_to = ReplyTo(str(chat_id), first={"reply_to": message.message_id})
        if reference is not None and incoming.files:
            # A file replying to an alert: an internal attachment of that ticket.
            await self._guarded(chat_id, self.desk.team_files, incoming, reference, reply_to)
            return
        if incoming.files or incoming.unsupported:
            return  # files and stickers the team shares among themselves
        if reference is not None and (parsed is None or _acts_on_context(parsed)):
            action, text = ("note", incoming.text) if parsed is None else parsed
            await self._guarded(
                chat_id, self.desk.team_action, incoming, action, reference, text, reply_to
            )
        elif parsed is not None and _for_the_team(parsed[0], incoming, self.desk):
            # `/report [days]` in the team group is the team's report (handlers/ops/command.py).
            await self._guarded(chat_id, self.desk.handle, incoming, reply_to)
        elif parsed is not None:
            with speaking(self._language(incoming)):
                listing = team_view.command_list()
            await self._say(chat_id, Message(listing), reply_to=message.message_id)
        # else: the team chatting among themselves

    async def _replied_ticket(self, message: TgMessage) -> str | None:
        """The ticket whose alert `message` replies to, if it replies to one."""
        replied = message.reply_to_message
        if (
            replied is None
            or replied.from_user is None
            or replied.from_user.id != self.sender.bot.id
        ):
            return None
        async with self.store.transaction() as tx:
            ticket = await tx.tickets.by_platform_message(
                CHANNEL, str(message.chat.id), str(replied.message_id)
            )
        return ticket.reference if ticket is not None else None

    # button presses -------------------------------------------------------------------------
    async def _press(self, query: CallbackQuery, delivery: str) -> None:
        incoming = from_callback(query)
        if incoming is None:
            await self._answer(query.id)
            return
        incoming = replace(incoming, delivery_id=delivery)
        if incoming.chat_id == self.team_chat_id or (query.data or "").startswith("team:"):
            await self._team_press(query, incoming)
            return
        chat_id = int(incoming.chat_id)
        await self._guarded(chat_id, self.desk.handle, incoming, ReplyTo(str(chat_id)))
        # Courtesies, not work: the update is done (and may be confirmed) without them.
        self._later(self._answer(query.id), self._show_choice(query))

    async def _team_press(self, query: CallbackQuery, incoming: Incoming) -> None:
        if incoming.member_id not in self.desk.settings.members:
            # Refused before the engine sees it: nothing about the ticket changes.
            with speaking(self._language(incoming)):
                refused = t("team.refused")
            await self._answer(query.id, refused, alert=True)
            return
        replies = await self._guarded(None, self.desk.handle, incoming)
        # The alert itself is re-rendered through the outbox; the presser gets the outcome.
        text = replies[0].text if replies else ""
        self._later(self._answer(query.id, text[:ANSWER_LIMIT]))

    def _later(self, *calls: Coroutine[Any, Any, None]) -> None:
        """Run best-effort calls after the update, in order, without holding it up."""

        async def run() -> None:
            for call in calls:
                await call

        task = asyncio.create_task(run())
        self._courtesies.add(task)
        task.add_done_callback(self._courtesies.discard)

    async def finish_courtesies(self) -> None:
        """Until the best-effort calls started so far are done (at shutdown, in tests)."""
        while self._courtesies:
            await asyncio.gather(*self._courtesies, return_exceptions=True)

    async def _answer(self, query_id: str, text: str = "", *, alert: bool = False) -> None:
        try:
            await self.sender.answer(query_id, text, alert=alert)
        except TelegramError as error:
            log.info("callback query not answered: %s", error)

    async def _show_choice(self, query: CallbackQuery) -> None:
        """Edit the pressed message to show the choice and drop its keyboard, so an old
        question cannot be answered twice (the engine refuses a stale choice anyway)."""
        message = query.message
        if not isinstance(message, TgMessage) or message.text is None:
            return
        label = pressed_label(query)
        plain = message.text + (f"\n\n› {label}" if label else "")
        try:
            if utf16_len(plain) > MAX_TEXT:
                # The choice does not fit under a full-length message: only the keyboard goes.
                await self.sender.edit_keyboard(message.chat.id, message.message_id, None)
                return
            html_text = message.text_html + (chosen_suffix(label) if label else "")
            await self.sender.edit(message.chat.id, message.message_id, html_text, plain, None)
        except TelegramError as error:
            # Showing the choice is a courtesy; the press itself has reached the desk.
            log.info("pressed message not updated: %s", error)

    # helpers --------------------------------------------------------------------------------
    async def _guarded(
        self,
        chat_id: int | None,
        call: Callable[..., Awaitable[list[Message]]],
        *args: object,
    ) -> list[Message]:
        """The engine's replies (already in the outbox when it was given a ReplyTo). A failure
        propagates: the engine rolled its transaction back, and the service tries the update
        again a bounded number of times before giving up on it (`apologise`)."""
        return list(await call(*args))

    async def apologise(self, update: Update) -> None:
        """Tell the sender of an update the desk gave up on that it was not handled. Best
        effort: whatever made the update fail may make this fail too."""
        try:
            query, message = update.callback_query, update.message
            if query is not None:
                with speaking(self._language(from_callback(query))):
                    sorry = t("telegram.failed")
                await self._answer(query.id, sorry[:ANSWER_LIMIT], alert=True)
            elif message is not None and message.chat.type == ChatType.PRIVATE:
                incoming = from_message(message, self.bot_username)
                with speaking(self._language(incoming)):
                    sorry = t("telegram.failed")
                await self._say(message.chat.id, Message(sorry))
        except Exception:
            log.exception("telegram: could not tell the sender of update %d", update.update_id)

    def _language(self, incoming: Incoming | None) -> str:
        """For the few texts written outside the engine (it may be what failed): the app's
        language Telegram reports, else the desk's default."""
        hint = incoming.language_hint if incoming is not None else None
        return normalise_language(hint) or self.desk.settings.default_language

    async def _say(self, chat_id: int | str, message: Message, reply_to: int | None = None) -> None:
        """An answer that changes nothing (a pointer, a menu, an apology): sent directly, and
        if Telegram cannot take it now, through the outbox."""
        try:
            # Not waited out here: a 429 would hold this chat's turn and a processing slot.
            await self.sender.send(chat_id, message, reply_to=reply_to, patient=False)
        except TelegramError as error:
            log.warning("telegram: answer queued in the outbox: %s", error)
            await self.desk.queue(CHANNEL, str(chat_id), [message])


def _acts_on_context(parsed: tuple[str, str]) -> bool:
    """`/reply thanks` replying to an alert acts on it; `/ack INT-7` names its own ticket."""
    command, args = parsed
    if command not in CONTEXT_ACTIONS:
        return False
    first = args.split(maxsplit=1)[0] if args.split() else ""
    return not looks_like_reference(first)


# What a member's slash command in the team group is, when it is no team command: help, or a
# status, answered in the group; a merchant's flow (ask, integrate) belongs in a private chat.
_GROUP_COMMANDS = ("report", "mine", "status", "start", "help", "menu")


def _for_the_team(command: str, incoming: Incoming, desk: Desk) -> bool:
    """Whether the engine answers `/command` in the team group. Team commands always do (a
    non-member is refused there); for a member, so do help, status and words the desk does not
    know, which get the team's command list."""
    if command in commands.TEAM or command == "report":
        return True
    if incoming.member_id not in desk.settings.members:
        return False
    return command in _GROUP_COMMANDS or command not in commands.ALL
