"""The load of the two-process test: merchants filing critical tickets on Telegram (the chat
flow) and Slack (the form), and two members acknowledging at the same moment, one through each
process. Every request goes through the `Balancer`; every wait is on a condition, with a deadline.
"""

from __future__ import annotations

import asyncio
from typing import Any

from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_signing import SlackSigner
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.fakes.telegram_objects import FakeUser, group_chat
from tests.multiprocess.harness import (
    SLACK_SECRET,
    Balancer,
    Changed,
    Sent,
    slack_sent,
    slack_text,
    telegram_sent,
)

TEAM = group_chat(-1009876543210, "Integration team")
SLACK_TEAM = "CTEAM"
TG_MEMBER = FakeUser(9101, "Asha", "Ops", username="asha_ops")
SLACK_MEMBER = "UJUMA"
TG_MERCHANTS = [FakeUser(7001 + i, f"Merchant{i}", username=f"m{i}") for i in range(6)]
SLACK_MERCHANTS = [f"UMER{i}" for i in range(6)]
STEP_DEADLINE = 45.0


class Load:
    """Merchants filing critical tickets and members acknowledging them, through both
    processes."""

    def __init__(
        self,
        telegram: FakeTelegramAPI,
        slack: FakeSlackApi,
        balancer: Balancer,
        changed: Changed,
    ) -> None:
        self.telegram = telegram
        self.slack = slack
        self.balancer = balancer
        self.changed = changed
        self.signer = SlackSigner(SLACK_SECRET, team_id=slack.team_id)
        self.filed: dict[str, str] = {}  # merchant -> reference
        self.acknowledged: list[str] = []  # references pressed twice at once

    def explain(self) -> str:
        team = [
            c.params.get("text", "")[:80]
            for c in self.telegram.calls_of("sendMessage")
            if c.chat_id == TEAM.id
        ]
        channel = [
            slack_text(c.params)[:80]
            for c in self.slack.calls_of("chat.postMessage")
            if c.params.get("channel") == SLACK_TEAM
        ]
        return f"telegram team: {team}\nslack team: {channel}\nsent: {self.sent()}"

    def sent(self) -> list[Sent]:
        return telegram_sent(self.telegram.calls) + slack_sent(self.slack.calls)

    # Telegram merchants: the chat flow, each step through the next process ---------------------
    async def _tg_step(self, user: FakeUser, update: dict[str, Any], via: int, wanted: str) -> Any:
        mark = self.telegram.mark()
        await self.balancer.telegram(update, via)
        return await self.telegram.wait_call(
            "sendMessage",
            lambda c: (
                c.chat_id == user.id and (wanted in c.button_labels or wanted in c.params["text"])
            ),
            after=mark,
            timeout=STEP_DEADLINE,
        )

    async def telegram_merchant(self, number: int, user: FakeUser) -> None:
        api = self.telegram
        say = api.make_text_update
        await self._tg_step(user, say(user, "/report"), number, "")
        await self._tg_step(user, say(user, f"Payouts stuck for merchant {number}"), number + 1, "")
        question = await self._tg_step(
            user, say(user, "Every payout since 09:00 is pending"), number, "Continue"
        )
        steps = (("Continue", "Production", 1), ("Production", "Critical", 0))
        for label, wanted, via in (*steps, ("Critical", "Confirm", 1)):
            press = api.make_press_update(
                user, user.id, question.response["result"]["message_id"], label
            )
            question = await self._tg_step(user, press, number + via, wanted)
        press = api.make_press_update(
            user, user.id, question.response["result"]["message_id"], "Confirm"
        )
        filed = await self._tg_step(user, press, number + 1, "logged as")
        self.filed[f"telegram:{user.id}"] = filed.params["text"].split("logged as ")[1].split()[0]
        self.changed.poke()

    # Slack merchants: /desk report, then the form -----------------------------------------
    async def slack_merchant(self, number: int, user: str) -> None:
        trigger = f"{number}.two-processes.trigger"
        await self.balancer.slack(
            lambda: self.signer.command(
                user_id=user, channel_id=f"D{user}", text="report", trigger_id=trigger,
                response_url=self.slack.response_url(f"cmd-{user}"),
            ),
            number,
        )  # fmt: skip
        await self.changed.until(
            lambda: any(
                c.params.get("trigger_id") == trigger for c in self.slack.calls_of("views.open")
            ),
            STEP_DEADLINE,
            f"the report form for {user}",
        )
        view = next(
            c.params["view"]
            for c in self.slack.calls_of("views.open")
            if c.params.get("trigger_id") == trigger
        )
        values = _report_values(f"Checkout failing for merchant {number}")
        await self.balancer.slack(
            lambda: self.signer.view_submission(user_id=user, view=view, values=values),
            number + 1,
            form=True,
        )
        await self.changed.until(
            lambda: any(
                s.chat == f"D{user}" and s.kind == "filed" for s in slack_sent(self.slack.calls)
            ),
            STEP_DEADLINE,
            f"{user}'s confirmation",
        )
        filed = next(
            s for s in slack_sent(self.slack.calls) if s.chat == f"D{user}" and s.kind == "filed"
        )
        self.filed[f"slack:{user}"] = filed.reference
        self.changed.poke()

    # The team ------------------------------------------------------------------------------
    async def acknowledge_at_once(self, reference: str, number: int, after_page: bool) -> None:
        """Asha presses Acknowledge in the Telegram team chat and Juma in the Slack channel at
        the same moment, their presses going to different processes."""
        wanted = "page" if after_page else "alert"
        await self.changed.until(
            lambda: all(
                any(
                    s.kind == wanted and s.reference == reference and s.chat == chat
                    for s in self.sent()
                )
                for chat in (str(TEAM.id), SLACK_TEAM)
            ),
            STEP_DEADLINE,
            f"the {wanted} of {reference} in both team chats",
            self.explain,
        )
        tg_alert = next(
            c for c in self.telegram.calls_of("sendMessage")
            if c.chat_id == TEAM.id and f"New issue {reference}" in c.params["text"]
        )  # fmt: skip
        press = self.telegram.make_press_update(
            TG_MEMBER, TEAM.id, tg_alert.response["result"]["message_id"], "Acknowledge"
        )
        slack_alert = next(
            m for m in self.slack.messages.values()
            if m.channel == SLACK_TEAM and m.thread_ts is None and reference in m.text
        )  # fmt: skip
        block_id, button = _ack_button(slack_alert.blocks)
        message = {"ts": slack_alert.ts, "text": slack_alert.text, "blocks": slack_alert.blocks}
        await asyncio.gather(
            self.balancer.telegram(press, number),
            self.balancer.slack(
                lambda: self.signer.block_action(
                    user_id=SLACK_MEMBER, channel_id=SLACK_TEAM, message=message,
                    action_id=button["action_id"], value=button["value"],
                    block_id=block_id, label="Acknowledge",
                    response_url=self.slack.response_url(f"ack-{reference}"),
                ),
                number + 1,
            ),
        )  # fmt: skip
        self.acknowledged.append(reference)


def _ack_button(blocks: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    for block in blocks:
        for element in block.get("elements", []) if block.get("type") == "actions" else []:
            if element.get("text", {}).get("text") == "Acknowledge":
                return str(block.get("block_id", "")), element
    raise AssertionError(f"no Acknowledge button in {blocks}")


def _report_values(title: str) -> dict[str, Any]:
    def chosen(value: str) -> dict[str, Any]:
        return {"value": {"type": "static_select", "selected_option": {"value": value}}}

    return {
        "title": {"value": {"type": "plain_text_input", "value": title}},
        "details": {"value": {"type": "plain_text_input", "value": "Every checkout returns 500"}},
        "environment": chosen("env:production"),
        "severity": chosen("sev:critical"),
    }
