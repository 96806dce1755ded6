"""The merchant's side of the program on Telegram, through the real python-telegram-bot and the
fake Bot API: integrate by buttons, Accept on the team's alert, UAT by buttons, sign-off."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.telegram_harness import MEMBER, MERCHANT, TEAM, DeskOnTelegram, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


async def _tap(env: DeskOnTelegram, answer: object, label: str, chat: int | None = None) -> object:
    mark = await env.press(MERCHANT, answer, label)  # type: ignore[arg-type]
    return await env.answer(chat or MERCHANT.id, after=mark)


async def test_integrate_to_uat_sign_off_with_buttons(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        api = env.api
        question = await env.say(MERCHANT, "/integrate")
        assert question.button_labels == ["Yes", "No"]
        await _tap(env, question, "Yes")
        await env.say(MERCHANT, "Duka Online")
        await env.say(MERCHANT, "CP-778812")
        objectives = await env.say(MERCHANT, "Online shop taking mobile money")
        assert "Collections by USSD push" in objectives.button_labels
        chosen = await _tap(env, objectives, "Collections by USSD push")
        assert "✓ Collections by USSD push" in chosen.button_labels  # type: ignore[attr-defined]
        await _tap(env, chosen, "Done")
        target = await env.say(MERCHANT, "WooCommerce on PHP 8.2")
        summary = await _tap(env, target, "Skip")
        assert "Business: Duka Online (merchant account CP-778812)" in summary.params["text"]  # type: ignore[attr-defined]
        mark = await env.press(MERCHANT, summary, "Confirm")  # type: ignore[arg-type]
        thanks = await env.answer(MERCHANT.id, after=mark)
        assert "PRJ-1" in thanks.params["text"]

        alert = await env.answer(TEAM.id, after=mark, with_buttons="Accept")
        assert alert.button_labels == ["Accept", "Take", "Ask for details"]
        mark = await env.press(MEMBER, alert, "Accept")
        answered = await api.wait_call("answerCallbackQuery", after=mark)
        assert "PRJ-1 accepted" in answered.params["text"]
        told = await env.answer(MERCHANT.id, after=mark)
        assert "moved to the stage: Scope and objectives" in told.params["text"]

        mark = api.mark()
        # Each advance waits for its own answer: `say` returns on the team chat's first message,
        # which can be the previous advance's broadcast, and a stale advance is refused.
        for stage in ("Documentation", "Data mapping", "Security and compliance", "Staging", "UAT"):
            step = api.mark()
            await env.deliver(api.make_text_update(MEMBER, "/advance PRJ-1 force demo", chat=TEAM))
            await api.wait_call(
                "sendMessage",
                lambda c, stage=stage: (
                    c.chat_id == TEAM.id and f"PRJ-1 is now at {stage}." in c.params["text"]
                ),
                after=step,
            )
        await api.wait_call(
            "sendMessage",
            lambda c: c.chat_id == MERCHANT.id and "the stage: UAT" in c.params["text"],
            after=mark,
        )
        listing = await env.say(MERCHANT, "/uat")
        assert "UAT cases for PRJ-1:" in listing.params["text"]
        result = await _tap(env, listing, listing.button_labels[1])
        assert result.button_labels == ["Pass", "Fail"]  # type: ignore[attr-defined]
        await _tap(env, result, "Fail")
        severity = await env.say(MERCHANT, "No PIN prompt on the phone")
        logged = await _tap(env, severity, "Major")
        assert "logged as INT-1 (Staging)" in logged.params["text"]  # type: ignore[attr-defined]
        ticket = await env.ticket("INT-1")
        assert (ticket.environment, ticket.program_label) == (
            "staging",
            "Duka Online · PRJ-1 · UAT",
        )

        for n in range(1, 7):
            last = await env.say(MERCHANT, f"/uat {n} pass")
        signoff = await env.answer(MERCHANT.id, after=0, with_buttons="Sign off UAT")
        signed = await _tap(env, signoff, "Sign off UAT")
        assert "signed off from your side" in signed.params["text"]  # type: ignore[attr-defined]
        assert last is not None
