"""`/desk` and its subcommands. Every request is acknowledged at once; the work follows.

Answers meant for one person go back through the command's `response_url` (ephemeral), which
works in any conversation, even one the bot is not a member of. What belongs to a ticket's
conversation (an `ask` and its answer) goes to the reporter's home: the DM with the bot, or a
thread in the shared channel the command came from.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.errors import SlackApiError

from handlers.events import Message
from handlers.messages import speaking, t
from handlers.redaction import redact
from handlers.report import environment_choices, severity_choices

from .bridge import SlackBridge
from .client import api_error
from .command import TEAM_REPORT, CommandProblem, DeskCommand, parse, usage
from .inbound import Where, answer_by_url, answer_in, incoming
from .integrate_modal import integrate_modal
from .modals import DETAILS_LIMIT, LANGUAGE, report_modal
from .mrkdwn import escape_clipped, mention

log = logging.getLogger("deskbot.slack")


async def anchor_home(bridge: SlackBridge, user_id: str, channel_id: str, headline: str) -> Where:
    """Where a ticket's conversation lives: the DM with the bot when the command came from a DM,
    else a thread under a message the bot posts in the (shared) channel. A channel the bot is not
    in falls back to the DM."""
    if channel_id.startswith("D"):
        return await bridge.dm(user_id)
    try:
        posted = await bridge.client.chat_postMessage(
            channel=channel_id, text=headline, unfurl_links=False, unfurl_media=False
        )
        return Where(channel_id, str(posted["ts"]))
    except SlackApiError as exc:
        log.info("cannot post in %s (%s); using the DM", channel_id, api_error(exc))
        return await bridge.dm(user_id)


async def open_report_modal(
    bridge: SlackBridge, trigger_id: str, channel_id: str, user_id: str
) -> None:
    """The report form in the person's language; `channel_id` is remembered so the ticket's
    conversation lives there, the language so the form's errors speak it too."""
    settings = bridge.desk.settings
    language = await bridge.language_of(user_id)
    with speaking(language):
        view = report_modal(
            environment_choices(),
            severity_choices(),
            {"channel": channel_id, LANGUAGE: language},
            title_limit=settings.max_title_length,
            details_limit=min(settings.max_details_length, DETAILS_LIMIT),
        )
    await bridge.client.views_open(trigger_id=trigger_id, view=view)


class SlashCommands:
    def __init__(self, bridge: SlackBridge) -> None:
        self.bridge = bridge
        self.command = bridge.config.command
        # The desk's (configured) prefix, so `/desk status 42` and the usage texts match the
        # references the desk hands out.
        self.prefix = bridge.desk.settings.reference_prefix

    def register(self, app: AsyncApp) -> None:
        app.command(self.command)(self.on_command)

    async def on_command(self, ack: AsyncAck, command: dict[str, Any]) -> None:
        user_id = str(command.get("user_id", ""))
        text = str(command.get("text", ""))
        program_prefix = self.bridge.desk.settings.program.reference_prefix
        team = self.bridge.is_member(user_id)
        parsed = parse(text, self.command, self.prefix, program_prefix, team)
        answer = self._quick_answer(parsed, user_id)
        if answer is not None:
            # Fast answers go back with the ack: only the person's language is looked up
            # (stored, no Web API call), and only for these.
            with speaking(await self.bridge.language_of(user_id, ask_slack=False)):
                again = parse(text, self.command, self.prefix, program_prefix, team)
                answer = self._quick_answer(again, user_id)
            await ack(text=escape_clipped(answer or "", 3000))
            return
        assert isinstance(parsed, DeskCommand)
        await ack()

        async def apologise() -> None:
            with speaking(await self.bridge.language_of(user_id, ask_slack=False)):
                sorry = Message(t("slack.failed"))
            await self.bridge.respond(str(command.get("response_url", "")), [sorry])

        await self.bridge.work(
            self._run(parsed, command),
            apologise,
            urgent=parsed.verb in ("report", "integrate"),
            who=user_id,
        )

    def _quick_answer(self, parsed: DeskCommand | CommandProblem, user_id: str) -> str | None:
        """What goes back with the ack itself (a problem, the usage, a refusal), or None."""
        if isinstance(parsed, CommandProblem):
            return parsed.message
        if parsed.verb == "help":
            return usage(self.command, self.prefix, self.bridge.is_member(user_id))
        if parsed.for_team and not self.bridge.is_member(user_id):
            return t("team.refused")
        limit = self.bridge.desk.settings.max_details_length
        if parsed.verb == "ask" and len(parsed.text) > limit:
            return t("report.too_long", length=len(parsed.text), limit=limit)
        return None

    async def _run(self, parsed: DeskCommand, command: dict[str, Any]) -> None:
        bridge = self.bridge
        user_id = str(command.get("user_id", ""))
        channel_id = str(command.get("channel_id", ""))
        if parsed.verb == "report":
            await open_report_modal(bridge, str(command.get("trigger_id", "")), channel_id, user_id)
            return
        if parsed.verb == "integrate":
            view = integrate_modal({"channel": channel_id}, bridge.desk.settings.max_details_length)
            await bridge.client.views_open(trigger_id=str(command.get("trigger_id", "")), view=view)
            return
        name = await bridge.name_of(user_id, str(command.get("user_name", "")))
        with speaking(await bridge.language_of(user_id)):
            hint = t("slack.hint", command=self.command)
            headline = t(
                "slack.ask.headline",
                user=mention(user_id),
                # Posted before the engine sees it: hidden here too (handlers/redaction.py).
                question=escape_clipped(redact(parsed.text).text, 2900),
            )
        if parsed.verb == "language":
            # In the DM, where the language buttons can be pressed.
            where = await bridge.dm(user_id)
            async with bridge.lock(where.chat_id, user_id):
                await bridge.handle(
                    incoming(user_id, where, name=name, text=f"/language {parsed.text}"),
                    answer_in(where),
                )
            return
        if parsed.verb == "ask" and bridge.desk.can_answer(parsed.text):
            # An answer from the knowledge base is for the asker alone, Yes/No and all; only a
            # question for the team gets a home in the conversation (below). Asked in a channel,
            # the conversation's state lives in the DM, so pressing No there files the question
            # in the DM, never at the channel's top level.
            where = Where(channel_id) if channel_id.startswith("D") else await bridge.dm(user_id)
            async with bridge.lock(where.chat_id, user_id):
                await bridge.handle(
                    incoming(user_id, where, name=name, text=f"/ask {parsed.text}"),
                    answer_by_url(where, str(command.get("response_url", ""))),
                )
            return
        if parsed.verb == "ask":
            where = await anchor_home(bridge, user_id, channel_id, headline)
            async with bridge.lock(where.chat_id, user_id):
                await bridge.handle(
                    incoming(user_id, where, name=name, text=f"/ask {parsed.text}"),
                    answer_in(where, owner=user_id),
                )
            return
        where = Where(channel_id)
        text = {
            "status": f"/status {parsed.reference}",
            # A member's `mine` is the tickets assigned to them (handlers/team_view.py).
            "mine": "/mine",
            "digest": "/digest",
            "find": f"/find {parsed.text}",
            "list": f"/list {parsed.list_filter}",
            "block": f"/block {parsed.text}",
            "unblock": f"/unblock {parsed.text}",
            TEAM_REPORT: f"/report {parsed.text}",
        }.get(parsed.verb, f"/{parsed.verb} {parsed.reference} {parsed.text}".strip())
        reply_to = answer_by_url(where, str(command.get("response_url", "")), hint)
        async with bridge.lock(where.chat_id, user_id):
            await bridge.handle(incoming(user_id, where, name=name, text=text), reply_to)
