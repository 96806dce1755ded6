"""A merchant whose Telegram app is in Swahili (`language_code = "sw"`) does everything in
Swahili, by buttons and by typed Swahili words, through the real python-telegram-bot and the
fake Bot API. Every bot sentence is compared with the Kiswahili catalog's."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.i18n.dates import when
from tests.fakes.telegram_methods import ApiCall
from tests.fakes.telegram_objects import FakeUser
from tests.support import paging_told, sw
from tests.telegram_harness import MEMBER, TEAM, DeskOnTelegram, desk_on_telegram

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

NEEMA = FakeUser(601, "Neema", "Kweka", username="neema_pay", language_code="sw")


def shown(env: DeskOnTelegram, call: ApiCall) -> str:
    """The message as the merchant sees it (HTML parsed by the fake, as Telegram does)."""
    return str(env.api.messages[(call.chat_id, call.response["result"]["message_id"])]["text"])


def created(reference: str, severity: str, environment: str, critical: bool) -> str:
    return "\n".join(
        [
            sw("report.created", reference=reference, severity=severity, environment=environment),
            paging_told("sw") if critical else sw("report.next.other"),
            sw("report.next.status", reference=reference),
        ]
    )


async def test_a_swahili_merchant_does_everything_in_swahili(tmp_path: Path) -> None:
    async with desk_on_telegram(tmp_path) as env:
        # The menu Telegram shows a Swahili app: Swahili command words and descriptions.
        menu = {c["command"]: c["description"] for c in env.api.commands["default:sw"]}
        assert list(menu) == [
            "ripoti", "uliza", "hali", "tiketi", "integrate", "maendeleo", "uat", "sitisha",
            "msaada", "lugha",
        ]  # fmt: skip
        assert menu["integrate"] == sw("command.integrate")
        assert menu["hali"] == sw("command.status", prefix="INT")
        assert "report" in [c["command"] for c in env.api.commands["default"]]

        start = await env.say(NEEMA, "/start")
        assert shown(env, start) == sw("menu", name="Neema Kweka")
        assert start.button_labels == [
            "Ripoti tatizo",
            "Uliza swali",
            "Tiketi zangu",
            "Omba muunganisho",
        ]

        # Report by buttons.
        assert shown(env, await env.say(NEEMA, "/ripoti")) == sw("report.title", limit=120)
        details = await env.say(NEEMA, "Malipo ya USSD push yanarudisha 500")
        assert shown(env, details) == "\n".join(
            (sw("report.details", limit=4000), sw("report.files.hint"))
        )
        files = await env.say(NEEMA, "Kila ombi linarudisha 500 tangu saa tatu, request id r-9")
        assert shown(env, files) == sw("report.files")
        assert files.button_labels == ["Endelea"]
        where = await env.past_files(NEEMA, files, "Endelea")
        assert shown(env, where) == sw("report.environment")
        assert where.button_labels == ["Majaribio (Staging)", "Uzalishaji (Production)"]
        mark = await env.press(NEEMA, where, "Uzalishaji (Production)")
        severity = await env.answer(NEEMA.id, after=mark, with_buttons="Hatari")
        assert shown(env, severity) == sw(
            "report.severity",
            critical=sw("definition.critical"),
            major=sw("definition.major"),
            minor=sw("definition.minor"),
        )
        mark = await env.press(NEEMA, severity, "Hatari")
        summary = await env.answer(NEEMA.id, after=mark, with_buttons="Thibitisha")
        assert summary.button_labels == ["Thibitisha", "Ghairi"]
        assert shown(env, summary).startswith("Tafadhali hakiki ripoti yako:")
        mark = await env.press(NEEMA, summary, "Thibitisha")
        thanks = await env.answer(NEEMA.id, after=mark)
        assert shown(env, thanks) == created("INT-1", "Hatari", "Uzalishaji (Production)", True)
        alert = await env.answer(TEAM.id, after=mark, with_buttons="Acknowledge")
        assert "Merchant's language: Kiswahili" in shown(env, alert)

        # The team acts in English; the merchant is told in Swahili.
        mark = await env.press(MEMBER, alert, "Acknowledge")
        told = await env.answer(NEEMA.id, after=mark)
        assert shown(env, told) == sw(
            "notify.acknowledged", reference="INT-1", title="Malipo ya USSD push yanarudisha 500"
        )

        # Report by typed Swahili words, at the first try.
        await env.say(NEEMA, "ripoti")
        await env.say(NEEMA, "Webhook haifiki")
        await env.say(NEEMA, "Hatupokei webhook yoyote kwenye majaribio")
        assert shown(env, await env.say(NEEMA, "hapana")) == sw("report.environment")
        assert (await env.say(NEEMA, "majaribio")).button_labels == ["Hatari", "Kubwa", "Ndogo"]
        assert (await env.say(NEEMA, "ndogo")).button_labels == ["Thibitisha", "Ghairi"]
        done = await env.say(NEEMA, "ndiyo")
        assert shown(env, done) == created("INT-2", "Ndogo", "Majaribio (Staging)", False)

        # Cancel: a typed word anywhere, the Ghairi button at the end.
        await env.say(NEEMA, "/ripoti")
        assert shown(env, await env.say(NEEMA, "sitisha")) == sw("cancelled")
        await env.say(NEEMA, "ripoti")
        await env.say(NEEMA, "Salio halionekani")
        await env.say(NEEMA, "Salio linaonyesha sifuri")
        await env.say(NEEMA, "endelea")
        await env.say(NEEMA, "uzalishaji")
        summary = await env.say(NEEMA, "kubwa")
        mark = await env.press(NEEMA, summary, "Ghairi")
        assert shown(env, await env.answer(NEEMA.id, after=mark)) == sw("cancelled")
        assert await env.ticket_count() == 2

        # A minute later (three reports' messages leave the per-minute window): status, with
        # the date in Swahili and the desk's time zone.
        env.runtime.desk.clock.advance(60)  # type: ignore[attr-defined]
        ticket = await env.ticket("INT-1")
        status = await env.say(NEEMA, "hali INT-1")
        assert shown(env, status) == sw(
            "status.line",
            reference="INT-1",
            kind="tatizo",
            severity="Hatari",
            environment="Uzalishaji (Production)",
            title="Malipo ya USSD push yanarudisha 500",
            status="imepokelewa",
            assignee="",
            created=when(ticket.created_at, "sw", "Africa/Dar_es_Salaam"),
        )
        assert shown(env, await env.say(NEEMA, "/hali INT-99")) == sw(
            "ref.not_found", reference="INT-99"
        )

        # My tickets.
        mine = await env.say(NEEMA, "tiketi zangu")
        assert shown(env, mine).splitlines()[0] == sw("mytickets.header")
        assert shown(env, mine).splitlines()[1] == sw(
            "mytickets.line", reference="INT-2", status="wazi", severity="Ndogo",
            title="Webhook haifiki",
        )  # fmt: skip

        # A follow-up to an open ticket.
        offer = await env.say(NEEMA, "Bado haifanyi kazi leo")
        assert shown(env, offer) == sw("followup.which")
        label = sw("followup.add", reference="INT-2", title="Webhook haifiki")
        assert offer.button_labels[:2] == [
            label,
            sw("followup.add", reference="INT-1", title="Malipo ya USSD push yanarudisha 500"),
        ]
        mark = await env.press(NEEMA, offer, label)
        added = await env.answer(NEEMA.id, after=mark)
        assert shown(env, added) == sw("followup.added", reference="INT-2")

        # Ask: the knowledge base answers in Swahili, with Swahili Yes/No.
        mark = env.api.mark()
        answer = await env.say(NEEMA, "/uliza Ninapataje token ya API?")
        entry = env.runtime.desk.knowledge.current().get("api-token")  # type: ignore[union-attr]
        assert entry is not None
        assert shown(env, answer).startswith(entry.in_language("sw").title)
        helped = await env.answer(NEEMA.id, after=mark, with_buttons="Ndiyo")
        assert shown(env, helped) == sw("ask.helped")
        assert helped.button_labels == ["Ndiyo", "Hapana"]
        mark = await env.press(NEEMA, helped, "Ndiyo")
        assert shown(env, await env.answer(NEEMA.id, after=mark)) == sw("ask.thanks")


async def test_switching_to_swahili_mid_report_on_telegram(tmp_path: Path) -> None:
    english = FakeUser(602, "Peter", language_code="en")
    async with desk_on_telegram(tmp_path) as env:
        await env.say(english, "/report")
        await env.say(english, "Payouts stuck")
        where = await env.past_files(
            english, await env.say(english, "Every payout stays PROCESSING")
        )
        assert where.button_labels == ["Staging", "Production"]
        offer = await env.say(english, "/lugha")
        assert offer.button_labels == ["English", "Kiswahili"]
        mark = await env.press(english, offer, "Kiswahili")
        asked = await env.answer(english.id, after=mark, with_buttons="Majaribio (Staging)")
        assert shown(env, asked) == sw("report.environment")
        mark = await env.press(english, asked, "Majaribio (Staging)")
        severity = await env.answer(english.id, after=mark, with_buttons="Hatari")
        assert shown(env, severity).startswith("Tatizo lina uzito gani?")
