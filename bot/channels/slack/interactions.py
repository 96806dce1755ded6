"""Button presses and modal submissions.

A pressed choice edits its own message first (buttons gone, the choice shown) so it cannot be
pressed twice, then runs the desk. Team buttons on an alert are for members only: anyone else
gets an ephemeral refusal and nothing changes. The alert itself is edited by the outbox
(alert_update), so every channel showing it stays in step.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck

from handlers.events import Message
from handlers.messages import t
from handlers.report import environment_choices, severity_choices
from handlers.tickets import Draft

from .alerts import TEAM_ACTION, parse_team_value
from .blocks import CHOICE_ACTION, label_of, without_choices
from .bridge import SlackBridge
from .inbound import Where, answer_by_url, answer_in, answer_privately, incoming
from .modals import (
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

    # ---- choices in a conversation -----------------------------------------------------------

    async def on_choice(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user_id, channel, value, message = _pressed(body)
        where = Where(channel, message.get("thread_ts"))

        async def apologise() -> None:
            await self.bridge.ephemeral(
                channel, user_id, [Message(t("slack.failed"))], where.thread_id
            )

        await self.bridge.work(
            self._choice(body, user_id, where, value, message),
            apologise,
            urgent=value == "menu:report",
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
        blocks = message.get("blocks") or []
        action = (body.get("actions") or [{}])[0]
        label = str((action.get("text") or {}).get("text") or label_of(blocks, value))
        private = bool((body.get("container") or {}).get("is_ephemeral"))
        if private:
            await bridge.respond(
                str(body.get("response_url", "")),
                [Message(label)],
                replace_original=True,
                blocks_for=lambda m: (escape_clipped(label, 3000), without_choices(blocks, label)),
            )
        else:
            await bridge.client.chat_update(
                channel=where.chat_id,
                ts=str(message.get("ts", "")),
                # Slack echoes the message's text as we sent it: mrkdwn, escaped already.
                text=clip_escaped(str(message.get("text", "")), 3900) or escape(label),
                blocks=without_choices(blocks, label),
            )
        if value == "menu:report":
            await open_report_modal(bridge, str(body.get("trigger_id", "")), where.chat_id)
            return
        name = await bridge.name_of(user_id)
        # What follows a private message stays private.
        reply_to = (
            answer_by_url(where, str(body.get("response_url", ""))) if private else answer_in(where)
        )
        async with bridge.lock(where.chat_id, user_id):
            await bridge.handle(incoming(user_id, where, name=name, choice=value), reply_to)

    # ---- team buttons on an alert ------------------------------------------------------------

    async def on_team_button(self, ack: AsyncAck, body: dict[str, Any]) -> None:
        await ack()
        user_id, channel, value, message = _pressed(body)

        async def apologise() -> None:
            await self.bridge.ephemeral(channel, user_id, [Message(t("slack.failed"))])

        await self.bridge.work(
            self._team(body, user_id, channel, value, message),
            apologise,
            urgent=value.startswith("team:reply:"),
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
            await bridge.ephemeral(channel, user_id, [Message(t("team.refused"))])
            return
        # Answers go under the alert (or under the alert a page sits in).
        where = Where(channel, str(message.get("thread_ts") or message.get("ts") or "") or None)
        if action == "reply":
            view = reply_modal(reference, {"channel": channel, "thread": where.thread_id or ""})
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
        await self.bridge.work(self._file_report(user_id, origin, form), not_filed, urgent=True)
        if failed:
            await ack(response_action="errors", errors={"title": t("slack.report.error.not_filed")})
        else:
            await ack()

    async def _file_report(self, user_id: str, origin: dict[str, str], form: ReportForm) -> None:
        bridge = self.bridge
        headline = t(
            "slack.report.headline", user=mention(user_id), title=escape_clipped(form.title, 2900)
        )
        where = await anchor_home(bridge, user_id, origin.get("channel", ""), headline)
        name = await bridge.name_of(user_id)
        draft = Draft(
            title=form.title,
            description=form.details,
            severity=form.severity.split(":", 1)[-1],
            environment=form.environment.split(":", 1)[-1],
        )
        await bridge.submit_report(incoming(user_id, where, name=name), draft, answer_in(where))

    async def on_reply(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        text = read_reply(view)
        if not text:
            await ack(response_action="errors", errors={"reply": t("slack.reply.error.empty")})
            return
        await ack()
        user_id = str((body.get("user") or {}).get("id", ""))
        origin = metadata(view)
        channel = origin.get("channel", "")
        thread = origin.get("thread") or None

        async def apologise() -> None:
            await self.bridge.ephemeral(channel, user_id, [Message(t("slack.failed"))], thread)

        await self.bridge.work(self._reply(user_id, origin, text), apologise)

    async def _reply(self, user_id: str, origin: dict[str, str], text: str) -> None:
        bridge = self.bridge
        where = Where(origin.get("channel", ""), origin.get("thread") or None)
        name = await bridge.name_of(user_id)
        await bridge.team_action(
            incoming(user_id, where, name=name),
            "reply",
            origin.get("reference", ""),
            text,
            answer_privately(where, user_id),
        )
