"""The integration program's merchant side on Slack, against the fake Web API with signed
requests: `/desk integrate` opens the form, the team's Accept and Ask for details buttons, UAT by
buttons in the DM, and the sign-off button."""

from __future__ import annotations

import json
from typing import Any

from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    OUTSIDER,
    TEAM_CHANNEL,
    SlackHarness,
    buttons,
)

DM = f"D{MERCHANT}"


def form(account: bool = True, target: str | None = None, **given: str) -> dict[str, Any]:
    def text(value: str) -> dict[str, Any]:
        return {"value": {"type": "plain_text_input", "value": value}}

    def boxes(*values: str) -> dict[str, Any]:
        return {"value": {"type": "checkboxes", "selected_options": [{"value": v} for v in values]}}

    return {
        "account": boxes("yes") if account else boxes(),
        "name": text(given.get("name", "Duka Online")),
        "account_id": text(given.get("account_id", "CP-778812")),
        "overview": text(given.get("overview", "Shop taking mobile money")),
        "objectives": boxes(*given.get("objectives", "ussd_push").split(",")),
        "systems": text(given.get("systems", "WooCommerce (PHP)")),
        "target": {"value": {"type": "datepicker", "selected_date": target}},
    }


async def open_form(slack: SlackHarness) -> dict[str, Any]:
    status, _ = await slack.command(MERCHANT, "integrate")
    assert status == 200
    await slack.settle()
    view: dict[str, Any] = slack.fake.calls_of("views.open")[-1].params["view"]
    if isinstance(view, str):
        view = json.loads(view)
    return view


async def test_integrate_modal_to_uat_sign_off(slack: SlackHarness) -> None:
    view = await open_form(slack)
    assert view["callback_id"] == "desk_integrate"
    assert [b["block_id"] for b in view["blocks"]] == [
        "account",
        "name",
        "account_id",
        "overview",
        "objectives",
        "systems",
        "target",
    ]
    status, body = await slack.submit(MERCHANT, view, form(target="2027-01-15"))
    assert status == 200 and "errors" not in body
    await slack.settle()
    assert "PRJ-1" in slack.posted(DM)[-1].text
    alert = slack.posted(TEAM_CHANNEL)[-1]
    assert "New integration request PRJ-1" in alert.text
    assert buttons(alert) == ["Accept", "Take", "Ask for details"]

    await slack.press(OUTSIDER, alert, "Accept")
    await slack.settle()
    refusal = slack.fake.calls_of("chat.postEphemeral")[-1].params
    assert refusal["user"] == OUTSIDER and "integration team only" in refusal["text"]
    assert buttons(slack.fake.messages[(TEAM_CHANNEL, alert.ts)]) == buttons(alert)
    async with slack.store.transaction() as tx:
        project = await tx.projects.get("PRJ-1")
        assert project is not None and project.stage == "requested"

    await slack.press(MEMBER, alert, "Ask for details")
    await slack.settle()
    reply_view = slack.fake.calls_of("views.open")[-1].params["view"]
    if isinstance(reply_view, str):
        reply_view = json.loads(reply_view)
    assert reply_view["callback_id"] == "desk_reply"
    await slack.submit(
        MEMBER, reply_view, {"reply": {"value": {"type": "plain_text_input", "value": "Docs?"}}}
    )
    await slack.settle()
    assert "The Integration Team wrote about PRJ-1:\nDocs?" in slack.posted(DM)[-1].text

    await slack.press(MEMBER, alert, "Accept")
    await slack.settle()
    assert "moved to the stage: Scope and objectives" in slack.posted(DM)[-1].text
    for _ in range(5):
        await slack.command(MEMBER, "advance PRJ-1 force demo", channel=TEAM_CHANNEL)
        await slack.settle()

    await slack.dm(MERCHANT, "uat")
    await slack.settle()
    listing = slack.posted(DM)[-1]
    assert "UAT cases for PRJ-1:" in listing.text
    for n in range(1, 7):
        await slack.dm(MERCHANT, f"uat {n} pass")
        await slack.settle()
    offer = slack.posted(DM)[-1]
    assert buttons(offer) == ["Sign off UAT"]
    await slack.press(MERCHANT, offer, "Sign off UAT")
    await slack.settle()
    assert "signed off from your side" in slack.posted(DM)[-1].text


async def test_the_form_refuses_without_an_account_or_with_a_past_date(slack: SlackHarness) -> None:
    view = await open_form(slack)
    status, body = await slack.submit(MERCHANT, view, form(account=False))
    assert status == 200
    assert "active ClickPesa merchant account comes first" in json.loads(body)["errors"]["account"]
    status, body = await slack.submit(MERCHANT, view, form(target="2020-01-01", objectives=""))
    errors = json.loads(body)["errors"]
    assert set(errors) == {"target", "objectives"}
    async with slack.store.transaction() as tx:
        assert await tx.projects.search() == []
