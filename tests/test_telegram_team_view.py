"""The team group on Telegram reads everything: alert details, `/show`, `/find`, `/mine`,
`/digest`, and the team's command list for a word the desk does not know (issue 10, item 2)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.telegram_api import ApiCall
from tests.telegram_harness import MEMBER, MERCHANT, TEAM, DeskOnTelegram, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

LONG = "Payouts REVERSED for orders ORD-1 to ORD-90, call 0754 111 222 <urgent> & more. " * 45


async def report(env: DeskOnTelegram, title: str, details: str) -> ApiCall:
    """A report typed and pressed in the merchant's private chat; returns the team alert."""
    await env.say(MERCHANT, "/report")
    await env.say(MERCHANT, title)
    question = await env.past_files(MERCHANT, await env.say(MERCHANT, details))
    mark = await env.press(MERCHANT, question, "Production")
    question = await env.answer(MERCHANT.id, after=mark, with_buttons="Major")
    mark = await env.press(MERCHANT, question, "Major")
    summary = await env.answer(MERCHANT.id, after=mark, with_buttons="Confirm")
    mark = await env.press(MERCHANT, summary, "Confirm")
    alert = await env.answer(TEAM.id, after=mark, with_buttons="Resolve")
    await env.alert_linked(alert)
    return alert


async def team_answers(env: DeskOnTelegram, text: str, count: int = 1) -> list[str]:
    """What the desk posts in the team group for `text` typed there: `count` messages."""
    mark = env.api.mark()
    await env.deliver(env.api.make_text_update(MEMBER, text, chat=TEAM))
    await env.settled()

    def in_group() -> list[ApiCall]:
        return [c for c in env.api.calls_of("sendMessage", after=mark) if c.chat_id == TEAM.id]

    while len(in_group()) < count:
        seen = len(env.api.calls_of("sendMessage", after=mark))
        await env.api.wait_calls("sendMessage", seen + 1, after=mark)
    return [str(c.params["text"]) for c in in_group()]


async def test_alert_in_the_group_carries_the_details(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        alert = await report(env, "Payouts reversed", LONG)
        text = alert.params["text"]
        assert "Environment: Production" in text
        assert "│ Payouts REVERSED for orders ORD-1 to ORD-90, call 0754 111 222" in text
        assert "&lt;urgent&gt; &amp; more" in text  # escaped for Telegram's HTML
        assert text.rstrip().endswith("…full text: show INT-1")


async def test_show_in_the_group_splits_within_telegram_limits(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await report(env, "Payouts reversed", LONG)
        mark = env.api.mark()
        await env.say(MEMBER, "/note INT-1 checked with the provider", chat=TEAM)
        await env.api.wait_call(
            "sendMessage", lambda c: "Internal note on INT-1" in c.params["text"], after=mark
        )
        texts = await team_answers(env, "/show INT-1", count=2)
        shown = "\n".join(texts)
        assert len(texts) >= 2  # the fake refuses anything over 4,096 characters
        assert shown.startswith("INT-1 · issue · Major · Production · open")
        assert shown.count("ORD-90") == 45, "the details in full"
        assert "internal note:\n│ checked with the provider" in shown
        assert "Last events:" in shown


async def test_find_mine_digest_and_unknown_words_in_the_group(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        await report(env, "Checksum mismatch on payout", "checksumMethod SHA256")
        (found,) = await team_answers(env, "/find CHECKSUMmethod")
        assert found.startswith("1 ticket(s) mention “CHECKSUMmethod”") and "INT-1 " in found
        mark = env.api.mark()
        await env.say(MEMBER, "/take INT-1", chat=TEAM)
        await env.api.wait_call(
            "sendMessage", lambda c: "assigned to Bob Ops. by" in c.params["text"], after=mark
        )
        (mine,) = await team_answers(env, "/mine@clickpesa_desk_bot")
        assert mine.startswith("1 open ticket(s) assigned to you:") and "INT-1 " in mine
        (digest,) = await team_answers(env, "/digest")
        assert digest.startswith("Daily digest for") and "INT-1 Checksum mismatch" in digest
        (unknown,) = await team_answers(env, "/escalate INT-1")
        assert unknown.startswith("I don't know the command “/escalate”. Team commands:")
        assert "show REF" in unknown and "report an integration issue" not in unknown
