"""From Slack's payloads to the desk's `Incoming`: who wrote, where, and what they wrote.

Slack delivers message text in its own markup: `&`, `<`, `>` arrive escaped, links arrive as
`<https://x|label>` and mentions as `<@U123>`/`<!here>`. The desk stores what the person typed, so
the markup is turned back into plain text here (and escaped again whenever it is shown in Slack).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.desk import ReplyTo
from handlers.events import Incoming, IncomingFile

CHANNEL = "slack"

_LINK = re.compile(r"<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>")
_SPECIAL = re.compile(r"<!(here|channel|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>")
_CHANNEL_REF = re.compile(r"<#([A-Z0-9]+)(?:\|([^>]*))?>")


def _link(match: re.Match[str]) -> str:
    url, label = match.group(1), match.group(2)
    bare = url.removeprefix("mailto:")
    if not label or label in (url, bare, url.split("://", 1)[-1]):
        return bare
    return f"{label} ({bare})"


def plain_text(slack_text: str) -> str:
    """What the person typed, from Slack's message markup. User mentions stay as `<@U123>`."""
    text = _LINK.sub(_link, slack_text)
    text = _SPECIAL.sub(lambda m: "@" + m.group(1), text)
    text = _SUBTEAM.sub(lambda m: m.group(1) or "@group", text)
    text = _CHANNEL_REF.sub(lambda m: "#" + (m.group(2) or m.group(1)), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_leading_mention(text: str, bot_user_id: str) -> str:
    return re.sub(rf"^\s*<@{re.escape(bot_user_id)}(?:\|[^>]*)?>[\s:,]*", "", text)


@dataclass(frozen=True, slots=True)
class Where:
    """Where answers for one person go: a conversation, and a thread inside it (shared channel)."""

    chat_id: str
    thread_id: str | None = None


def incoming(
    user_id: str,
    where: Where,
    *,
    name: str = "",
    text: str = "",
    choice: str | None = None,
    files: tuple[IncomingFile, ...] = (),
    delivery: str | None = None,
) -> Incoming:
    """`delivery`: Slack's id for what was delivered (an event id, a view id), recorded in the
    work's own transaction so that a resent event or form is handled once."""
    return Incoming(
        files=files,
        channel=CHANNEL,
        chat_id=where.chat_id,
        user_id=user_id,
        display_name=name,
        text=text,
        choice=choice,
        thread_id=where.thread_id,
        delivery_id=delivery or None,
    )


def member_id(user_id: str) -> str:
    return f"{CHANNEL}:{user_id}"


def answer_in(where: Where, owner: str | None = None) -> ReplyTo:
    """Answers posted in the conversation (and thread) the person wrote in. With `owner`, their
    buttons are that person's alone: others pressing them change nothing (a shared channel)."""
    return ReplyTo(where.chat_id, where.thread_id, extra={"owner": owner} if owner else {})


def answer_privately(where: Where, user_id: str) -> ReplyTo:
    """Answers only `user_id` sees (chat.postEphemeral), without buttons."""
    return ReplyTo(where.chat_id, where.thread_id, extra={"private_to": user_id})


def answer_by_url(where: Where, response_url: str, hint: str = "") -> ReplyTo:
    """Ephemeral answers through a command's or an action's `response_url` (which works even
    where the bot is not a member). With `hint`, buttons give way to that hint."""
    extra = {"response_url": response_url}
    if hint:
        extra["hint"] = hint
    return ReplyTo(where.chat_id, where.thread_id, extra=extra)
