"""End to end: /desk report -> modal -> ticket -> team alert -> Acknowledge -> merchant told."""

from __future__ import annotations

import json

from tests.slack.harness import (
    MEMBER,
    MERCHANT,
    TEAM_CHANNEL,
    SlackHarness,
    report_values,
)


async def test_report_modal_to_acknowledged_alert(slack: SlackHarness) -> None:
    fake = slack.fake
    status, body = await slack.command(MERCHANT, "report", channel=f"D{MERCHANT}")
    assert (status, body) == (200, "")
    await slack.settle()

    view = fake.calls_of("views.open")[0].params["view"]
    assert view["callback_id"] == "desk_report"
    severity = next(b for b in view["blocks"] if b["block_id"] == "severity")
    options = {o["text"]["text"]: o["description"]["text"] for o in severity["element"]["options"]}
    assert options["Critical"] == "System is unusable or data integrity is compromised."
    environments = next(b for b in view["blocks"] if b["block_id"] == "environment")
    assert [o["text"]["text"] for o in environments["element"]["options"]] == [
        "Staging",
        "Production",
    ]

    status, _ = await slack.submit(
        MERCHANT, view, report_values("USSD push returns 500", "initiate-ussd-push-request fails")
    )
    assert status == 200
    await slack.settle()

    # The merchant hears back in their DM with the bot.
    dm = slack.posted(f"D{MERCHANT}")
    assert any("INT-1" in m.text and "Critical" in m.text for m in dm)

    # The team channel has the alert with its four buttons.
    alert = slack.alert()
    assert "INT-1" in alert.text and "USSD push returns 500" in alert.text
    buttons = [
        e["text"]["text"] for b in alert.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == ["Acknowledge", "Take", "Resolve", "Reply to merchant"]
    rendered = json.dumps(alert.blocks)
    assert "Production" in rendered and f"amina (slack:{MERCHANT})" in rendered

    # A team member presses Acknowledge.
    status, _ = await slack.press(MEMBER, alert, "Acknowledge")
    assert status == 200
    await slack.settle()

    updated = fake.messages[(TEAM_CHANNEL, alert.ts)]
    assert updated.history, "the alert was edited in place with chat.update"
    assert "acknowledged by juma" in json.dumps(updated.blocks)
    labels = [
        e["text"]["text"] for b in updated.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert "Acknowledge" not in labels

    # The merchant is told, in the DM.
    assert any("acknowledged" in m.text for m in slack.posted(f"D{MERCHANT}"))
    # The thread under the alert carries the status change.
    thread = slack.posted(TEAM_CHANNEL, alert.ts)
    assert any("acknowledged by juma" in m.text for m in thread)
    # The presser got an ephemeral confirmation.
    ephemerals = fake.calls_of("chat.postEphemeral")
    assert any(c.params["user"] == MEMBER and "INT-1" in c.params["text"] for c in ephemerals)
