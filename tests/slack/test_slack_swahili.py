"""A Slack merchant whose locale is Swahili (`users.info` -> `sw-TZ`) does everything in
Swahili: the report form's labels and errors, the DM conversation, `/desk` answers, notices.
Every bot sentence is compared with the Kiswahili catalog's."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.slack.mrkdwn import escape
from handlers.i18n.dates import when
from handlers.messages import translate
from tests.slack.harness import MEMBER, PostedMessage, SlackHarness, report_values, running_slack
from tests.support import paging_told, sw

NEEMA = "UNEEMA"
DM = f"D{NEEMA}"


@pytest.fixture
async def slack(tmp_path: Path) -> AsyncIterator[SlackHarness]:
    async with running_slack(tmp_path, knowledge=True) as harness:
        harness.fake.add_user(NEEMA, "neema", "Neema Kweka", locale="sw-TZ")
        yield harness


async def said(slack: SlackHarness, text: str) -> list[PostedMessage]:
    """Neema writes `text` in her DM with the bot; the bot's answers to it."""
    before = len(slack.posted(DM))
    await slack.dm(NEEMA, text)
    await slack.settle()
    return slack.posted(DM)[before:]


def ephemeral(slack: SlackHarness) -> str:
    return str(slack.fake.calls_of("response_url")[-1].params["text"])


def labels(message: PostedMessage) -> list[str]:
    return [
        e["text"]["text"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
    ]


async def test_the_report_form_speaks_swahili(slack: SlackHarness) -> None:
    await slack.command(NEEMA, "ripoti", channel=DM)
    await slack.settle()
    view = slack.fake.calls_of("views.open")[-1].params["view"]
    assert view["title"]["text"] == sw("slack.report.modal_title")
    assert view["submit"]["text"] == sw("slack.report.submit")
    assert view["close"]["text"] == sw("slack.modal.cancel")
    fields = {b["block_id"]: b for b in view["blocks"]}
    assert fields["title"]["label"]["text"] == sw("slack.report.field.title")
    assert fields["details"]["label"]["text"] == sw("slack.report.field.details")
    assert fields["environment"]["label"]["text"] == sw("slack.report.field.environment")
    assert [o["text"]["text"] for o in fields["environment"]["element"]["options"]] == [
        "Majaribio (Staging)",
        "Uzalishaji (Production)",
    ]
    severity = fields["severity"]["element"]["options"]
    assert [o["text"]["text"] for o in severity] == ["Hatari", "Kubwa", "Ndogo"]
    for option, level in zip(severity, ("critical", "major", "minor"), strict=True):
        # Slack allows 75 characters in an option's description; longer ones are clipped.
        assert sw(f"definition.{level}").startswith(option["description"]["text"].rstrip("…"))

    # A form sent back with an empty title: the error is in Swahili too.
    status, body = await slack.submit(NEEMA, view, report_values("", "Maelezo"), work=False)
    assert status == 200
    assert json.loads(body)["errors"]["title"] == sw("slack.report.error.title_empty")

    await slack.submit(
        NEEMA, view, report_values("Malipo yamekwama", "Kila ombi linarudisha 500", "env:staging")
    )
    await slack.settle()
    created = slack.posted(DM)[-1]
    assert created.text == escape(
        "\n".join(
            [
                sw("report.created", reference="INT-1", severity="Hatari",
                   environment="Majaribio (Staging)"),
                paging_told("sw"),
                sw("report.next.status", reference="INT-1"),
                sw("report.files.after_form", reference="INT-1"),
            ]
        )
    )  # fmt: skip
    # The team's alert is in the team's language and names hers.
    alert = slack.alert()
    assert "Merchant's language: Kiswahili" in json.dumps(alert.blocks)

    # The team acknowledges (in English); she is told in Swahili.
    await slack.press(MEMBER, alert, "Acknowledge")
    await slack.settle()
    assert slack.posted(DM)[-1].text == escape(
        sw("notify.acknowledged", reference="INT-1", title="Malipo yamekwama")
    )


async def test_a_conversation_in_swahili_by_typed_words_and_buttons(slack: SlackHarness) -> None:
    assert [m.text for m in await said(slack, "ripoti")] == [escape(sw("report.title", limit=120))]
    await said(slack, "Webhook haifiki")
    [files] = await said(slack, "Hatupokei webhook kwenye majaribio")
    assert files.text == escape(sw("report.files")) and labels(files) == ["Endelea"]
    before = len(slack.posted(DM))
    await slack.press(NEEMA, files, "Endelea")
    await slack.settle()
    [where] = slack.posted(DM)[before:]
    assert where.text == escape(sw("report.environment"))
    assert labels(where) == ["Majaribio (Staging)", "Uzalishaji (Production)"]
    before = len(slack.posted(DM))
    await slack.press(NEEMA, where, "Majaribio (Staging)")
    await slack.settle()
    [severity] = slack.posted(DM)[before:]
    assert labels(severity) == ["Hatari", "Kubwa", "Ndogo"]
    [summary] = await said(slack, "ndogo")
    assert labels(summary) == ["Thibitisha", "Ghairi"]
    [done] = await said(slack, "ndio")
    assert done.text.startswith(escape(sw("report.created", reference="INT-1", severity="Ndogo",
                                          environment="Majaribio (Staging)")))  # fmt: skip

    # Status and my tickets through /desk, answered privately in Swahili.
    await slack.command(NEEMA, "hali INT-1", channel=DM)
    await slack.settle()
    async with slack.store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    assert ephemeral(slack) == escape(
        sw(
            "status.line",
            reference="INT-1",
            kind="tatizo",
            severity="Ndogo",
            environment="Majaribio (Staging)",
            title="Webhook haifiki",
            status="wazi",
            assignee="",
            created=when(ticket.created_at, "sw", "Africa/Dar_es_Salaam"),
        )
    )
    await slack.command(NEEMA, "tiketi zangu", channel=DM)
    await slack.settle()
    assert ephemeral(slack).splitlines()[0] == escape(sw("mytickets.header"))

    # A follow-up (added to the active ticket, with the undo), then a cancelled report.
    [added] = await said(slack, "Bado haifanyi kazi leo")
    assert added.text.startswith(escape(sw("routing.followup.added", reference="INT-1", line="")))
    before = len(slack.posted(DM))
    await slack.press(NEEMA, added, sw("routing.undo", reference="INT-1"))
    await slack.settle()
    undone = sw("routing.undone", reference="INT-1")
    assert slack.posted(DM)[before:][-1].text == escape(undone)
    await said(slack, "ripoti")
    assert [m.text for m in await said(slack, "sitisha")] == [escape(sw("cancelled"))]

    # Ask: the knowledge base answers privately, in Swahili.
    await slack.command(NEEMA, "uliza Ninapataje token ya API?", channel=DM)
    await slack.settle()
    answer, helped = (c.params for c in slack.fake.calls_of("response_url")[-2:])
    entry = slack.desk.knowledge.current().get("api-token")  # type: ignore[union-attr]
    assert entry is not None
    assert str(answer["text"]).startswith(escape(entry.in_language("sw").title))
    assert helped["text"] == escape(sw("ask.helped"))

    # Usage, in Swahili, straight back with the acknowledgement.
    status, body = await slack.command(NEEMA, "msaada", channel=DM, work=False)
    assert (
        status == 200
        and "ripoti" in body
        and escape(sw("slack.usage.ask", command="/desk")) in body
    )


async def test_switching_language_mid_flow_on_slack(slack: SlackHarness) -> None:
    english = "UPETER"
    slack.fake.add_user(english, "peter", "Peter", locale="en-US")
    for text in ("report", "Payouts stuck", "Every payout stays PROCESSING"):
        await slack.dm(english, text)
        await slack.settle()
    # The optional files step is asked again in the new language, with its button.
    assert slack.posted(f"D{english}")[-1].text == escape(translate("en", "report.files"))
    await slack.dm(english, "lugha")
    await slack.settle()
    offer = slack.posted(f"D{english}")[-1]
    assert labels(offer) == ["English", "Kiswahili"]
    before = len(slack.posted(f"D{english}"))
    await slack.press(english, offer, "Kiswahili")
    await slack.settle()
    texts = [m.text for m in slack.posted(f"D{english}")[before:]]
    assert texts == [escape(sw("language.set")), escape(sw("report.files"))]
    assert labels(slack.posted(f"D{english}")[-1]) == ["Endelea"]
