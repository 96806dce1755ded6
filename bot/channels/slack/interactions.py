"""Button presses and modal submissions.

A pressed choice runs the desk first, then edits its own message (buttons gone, the choice shown)
so it cannot be pressed twice: the edit is a courtesy, and Slack failing it must not cost the
press (nor may a crash between the two leave a press that was never handled without its
buttons). Form submissions are handled before they are acknowledged, deduplicated by the view's
id (a person submitting again after a slow answer files once). Team buttons on an alert are for
members only: anyone else gets an ephemeral refusal and nothing changes. The alert itself is
edited by the outbox (alert_update), so every channel showing it stays in step.
"""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError, SlackRequestError

from handlers.events import Message
from handlers.messages import speaking, t
from handlers.redaction import redact
from handlers.report import environment_choices, severity_choices
from handlers.tickets import Draft

from .alerts import TEAM_ACTION, parse_team_value
from .blocks import CHOICE_ACTION, label_of, owner_of, without_choices
from .bridge import SlackBridge
from .inbound import Where, answer_by_url, answer_in, answer_privately, incoming
from .integrate_modal import INTEGRATE_CALLBACK, read_integration
from .modals import (
    LANGUAGE,
    REPLY_CALLBACK,
    REPORT_CALLBACK,
    ReportForm,
    metadata,
    read_reply,
    read_report,
    reply_modal,
)
from .mrkdwn import clip_escaped, escape, escape_clipped, mention
from .slash import anchor_home, open_report_modal

log = logging.getLogger("deskbot.slack")


def _pressed(body: dict[str, Any]) -> tuple[str, str, str, dict[str, Any]]:
    """(user, channel, value, message) of a block_actions payload; `message` is empty for a
    press on an ephemeral message (Slack does not send those back)."""
    action = (body.get("actions") or [{}])[0]
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id", ""
    )
    return (
        str((body.get("user") or {}).get("id", "")),
        str(channel),
        str(action.get("value", "")),
        body.get("message") or {},
    )


class Interactions:
    def __init__(self, bridge: SlackBridge) -> None:
        self.bridge = bridge

    def register(self, app: AsyncApp) -> None:
        app.action(CHOICE_ACTION)(self.on_choice)
        app.action(TEAM_ACTION)(self.on_team_button)
        app.view(REPORT_CALLBACK)(self.on_report)
        app.view(REPLY_CALLBACK)(self.on_reply)
        app.view(INTEGRATE_CALLBACK)(self.on_integrate)

    # ---- choices in a conversation -----------------------------------------------------------

    async def on_choice(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user_id, channel, value, message = _pressed(body)
        where = Where(channel, message.get("thread_ts"))

        async def apologise() -> None:
            await self.bridge.ephemeral(
                channel, user_id, [await self._failed(user_id)], where.thread_id
            )

        await self.bridge.work(
            self._choice(body, user_id, where, value, message),
            apologise,
            urgent=value == "menu:report",
            who=user_id,
        )

    async def _choice(
        self,
        body: dict[str, Any],
        user_id: str,
        where: Where,
        value: str,
        message: dict[str, Any],
    ) -> None:
        bridge = self.bridge
        if value.startswith("team:"):
            await self._team_choice(body, user_id, where, value)
            return
        blocks = message.get("blocks") or []
        action = (body.get("actions") or [{}])[0]
        owner = owner_of(str(action.get("block_id") or ""))
        if owner is not None and owner != user_id:
            # Someone else's question in a shared channel: nothing is edited or answered.
            await bridge.ephemeral(
                where.chat_id, user_id, [Message(t("slack.choice.not_yours"))], where.thread_id
            )
            return
        label = str((action.get("text") or {}).get("text") or label_of(blocks, value))
        private = bool((body.get("container") or {}).get("is_ephemeral"))
        if private and not where.chat_id.startswith("D"):
            # A private answer in a channel (an `ask` the knowledge base answered) continues in
            # the DM: a ticket filed from here gets its notifications there, never in public.
            where = await bridge.dm(user_id)
        if value == "menu:report":
            await self._show_choice(body, where, message, label, private)
            await open_report_modal(bridge, str(body.get("trigger_id", "")), where.chat_id, user_id)
            return
        name = await bridge.name_of(user_id)
        # What follows a private message stays private.
        reply_to = (
            answer_by_url(where, str(body.get("response_url", "")))
            if private
            else answer_in(where, owner=user_id)
        )
        async with bridge.lock(where.chat_id, user_id):
            await bridge.handle(incoming(user_id, where, name=name, choice=value), reply_to)
        await self._show_choice(body, where, message, label, private)

    async def _show_choice(
        self,
        body: dict[str, Any],
        where: Where,
        message: dict[str, Any],
        label: str,
        private: bool,
    ) -> None:
        """Show the choice on the pressed message and drop its buttons. Best effort: the press
        has reached the desk; an old question pressed again is refused as stale anyway."""
        blocks = message.get("blocks") or []
        try:
            if private:
                await self.bridge.respond(
                    str(body.get("response_url", "")),
                    [Message(label)],
                    replace_original=True,
                    blocks_for=lambda m: (
                        escape_clipped(label, 3000),
                        without_choices(blocks, label),
                    ),
                )
            else:
                await self.bridge.client.chat_update(
                    channel=where.chat_id,
                    ts=str(message.get("ts", "")),
                    # Slack echoes the message's text as we sent it: mrkdwn, escaped already.
                    text=clip_escaped(str(message.get("text", "")), 3900) or escape(label),
                    blocks=without_choices(blocks, label),
                )
        except (SlackApiError, SlackRequestError, aiohttp.ClientError, TimeoutError) as exc:
            log.info("pressed Slack message not updated: %s", type(exc).__name__)

    async def _team_choice(
        self, body: dict[str, Any], user_id: str, where: Where, value: str
    ) -> None:
        """A team button on a message rendered with plain choices (a project alert): the message
        keeps its buttons for the rest of the team; the presser gets the outcome privately."""
        bridge = self.bridge
        if not bridge.is_member(user_id):
            await bridge.ephemeral(where.chat_id, user_id, [Message(t("team.refused"))])
            return
        if value.startswith("team:reply:"):
            # "Ask for details": the same reply form as on a ticket's alert.
            origin = {"channel": where.chat_id, "thread": where.thread_id or ""}
            view = reply_modal(value.removeprefix("team:reply:"), origin)
            await bridge.client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)
            return
        name = await bridge.name_of(user_id)
        async with bridge.lock(where.chat_id, user_id):
            replies = await bridge.handle(incoming(user_id, where, name=name, choice=value))
        await bridge.ephemeral(where.chat_id, user_id, replies, where.thread_id)

    # ---- team buttons on an alert ------------------------------------------------------------

    async def on_team_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user_id, channel, value, message = _pressed(body)

        async def apologise() -> None:
            await self.bridge.ephemeral(channel, user_id, [await self._failed(user_id)])

        await self.bridge.work(
            self._team(body, user_id, channel, value, message),
            apologise,
            urgent=value.startswith("team:reply:"),
            who=user_id,
        )

    async def _team(
        self, body: dict[str, Any], user_id: str, channel: str, value: str, message: dict[str, Any]
    ) -> None:
        bridge = self.bridge
        parsed = parse_team_value(value)
        if parsed is None:
            return
        action, reference = parsed
        if not bridge.is_member(user_id):
            with speaking(await bridge.language_of(user_id)):
                refused = Message(t("team.refused"))
            await bridge.ephemeral(channel, user_id, [refused])
            return
        # Answers go under the alert (or under the alert a page sits in).
        where = Where(channel, str(message.get("thread_ts") or message.get("ts") or "") or None)
        if action == "reply":
            language = await bridge.language_of(user_id)
            origin = {"channel": channel, "thread": where.thread_id or "", LANGUAGE: language}
            with speaking(language):
                view = reply_modal(reference, origin)
            await bridge.client.views_open(trigger_id=str(body.get("trigger_id", "")), view=view)
            return
        name = await bridge.name_of(user_id)
        await bridge.team_action(
            incoming(user_id, where, name=name),
            action,
            reference,
            reply_to=answer_privately(where, user_id),
        )

    # ---- modal submissions -------------------------------------------------------------------

    async def on_report(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        settings = self.bridge.desk.settings
        # The form's errors in the language it was opened in.
        with speaking(metadata(view).get(LANGUAGE) or settings.default_language):
            form = read_report(
                view,
                environment_choices(),
                severity_choices(),
                title_limit=settings.max_title_length,
                details_limit=settings.max_details_length,
            )
        if not isinstance(form, ReportForm):
            await ack(response_action="errors", errors=form)
            return
        user_id = str((body.get("user") or {}).get("id", ""))
        origin = metadata(view)
        failed = False

        async def not_filed() -> None:
            nonlocal failed
            failed = True

        # Filed (ticket and answers committed) before Slack hears back: Slack does not resend
        # a submission it got 200 for, so a crash after an early ack would lose the report.
        # A failure keeps the form open with a message instead.
        view_id = str(view.get("id") or "") or None
        await self.bridge.work(
            self._file_report(user_id, origin, form, view_id), not_filed, urgent=True
        )
        if failed:
            with speaking(origin.get(LANGUAGE) or self.bridge.desk.settings.default_language):
                error = t("slack.report.error.not_filed")
            await ack(response_action="errors", errors={"title": error})
        else:
            await ack()

    async def _file_report(
        self, user_id: str, origin: dict[str, str], form: ReportForm, view_id: str | None
    ) -> None:
        bridge = self.bridge
        delivery = f"view:{view_id}" if view_id else None
        # Submitted again: its headline is posted and its work done (the work's own transaction
        # records the view id, so a resend racing the first still files once).
        if await bridge.handled_before(delivery):
            return
        with speaking(origin.get(LANGUAGE) or bridge.desk.settings.default_language):
            headline = t(
                "slack.report.headline",
                user=mention(user_id),
                # Posted before the engine sees it: hidden here too (handlers/redaction.py).
                title=escape_clipped(redact(form.title).text, 2900),
            )
        where = await anchor_home(bridge, user_id, origin.get("channel", ""), headline)
        name = await bridge.name_of(user_id)
        draft = Draft(
            title=form.title,
            description=form.details,
            severity=form.severity.split(":", 1)[-1],
            environment=form.environment.split(":", 1)[-1],
        )
        await bridge.submit_report(
            incoming(user_id, where, name=name, delivery=delivery),
            draft,
            answer_in(where, owner=user_id),
        )

    async def on_integrate(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        desk = self.bridge.desk
        today = desk.settings.program.calendar.local_date(desk.clock.now())
        data, errors = read_integration(view, today, desk.settings.max_details_length)
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        user_id = str((body.get("user") or {}).get("id", ""))
        origin = metadata(view)
        failed = False

        async def not_filed() -> None:
            nonlocal failed
            failed = True

        # Filed before Slack hears back, as the report form is (Slack does not resend a form).
        view_id = str(view.get("id") or "") or None
        await self.bridge.work(self._integrate(user_id, origin, data, view_id), not_filed)
        if failed:
            with speaking(origin.get(LANGUAGE) or desk.settings.default_language):
                error = t("slack.failed")
            await ack(response_action="errors", errors={"name": error})
        else:
            await ack()

    async def _integrate(
        self, user_id: str, origin: dict[str, str], data: dict[str, Any], view_id: str | None
    ) -> None:
        bridge = self.bridge
        channel = origin.get("channel", "")
        delivery = f"view:{view_id}" if view_id else None
        if await bridge.handled_before(delivery):  # submitted again (see _file_report)
            return
        # The project's notices go to the DM, or to a thread in the shared channel it came from.
        headline = t("slack.integrate.headline", user=mention(user_id))
        where = await anchor_home(bridge, user_id, channel, headline)
        name = await bridge.name_of(user_id)
        async with bridge.lock(where.chat_id, user_id):
            await bridge.desk.submit_integration(
                incoming(user_id, where, name=name, delivery=delivery), data, answer_in(where)
            )

    async def on_reply(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = read_reply(view)
        if not text:
            default = self.bridge.desk.settings.default_language
            with speaking(metadata(view).get(LANGUAGE) or default):
                error = t("slack.reply.error.empty")
            await ack(response_action="errors", errors={"reply": error})
            return
        user_id = str((body.get("user") or {}).get("id", ""))
        origin = metadata(view)
        failed = False

        async def not_sent() -> None:
            nonlocal failed
            failed = True

        # Written (the reply in the outbox) before Slack hears back: Slack does not resend it.
        view_id = str(view.get("id") or "") or None
        await self.bridge.work(self._reply(user_id, origin, text, view_id), not_sent, who=user_id)
        if failed:
            default = self.bridge.desk.settings.default_language
            with speaking(metadata(view).get(LANGUAGE) or default):
                error = t("slack.failed")
            await ack(response_action="errors", errors={"reply": error})
        else:
            await ack()

    async def _failed(self, user_id: str) -> Message:
        with speaking(await self.bridge.language_of(user_id, ask_slack=False)):
            return Message(t("slack.failed"))

    async def _reply(
        self, user_id: str, origin: dict[str, str], text: str, view_id: str | None
    ) -> None:
        bridge = self.bridge
        where = Where(origin.get("channel", ""), origin.get("thread") or None)
        name = await bridge.name_of(user_id)
        await bridge.team_action(
            incoming(user_id, where, name=name, delivery=f"view:{view_id}" if view_id else None),
            "reply",
            origin.get("reference", ""),
            text,
            answer_privately(where, user_id),
        )
