"""A language per person: picked, hinted by the platform, detected, or the desk's default; stored
per identity; Swahili command and choice words; the team's texts in the team's language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.clock import FakeClock
from handlers.delivery import OutboxDispatcher
from handlers.desk import Desk, DeskSettings
from handlers.messages import EN
from handlers.notify import Notifier, Target
from storage import Store
from tests.conftest import TEAM
from tests.support import Chat, RecordingSender, sw


def make_desk(store: Store, clock: FakeClock, **settings: object) -> Desk:
    return Desk(
        store,
        DeskSettings(members=TEAM, **settings),  # type: ignore[arg-type]
        team_targets=[Target("console", "team")],
        clock=clock,
    )


@pytest.mark.parametrize("greeting", ["Habari", "Shikamoo", "Mambo", "Mambo vipi", "habari yako"])
async def test_a_swahili_greeting_first_gets_the_swahili_menu(alice: Chat, greeting: str) -> None:
    answer = await alice.say(greeting)
    assert answer == sw("menu", name="Alice")
    assert [c for c in alice.choices] == [
        sw("menu.choice.report"),
        sw("menu.choice.ask"),
        sw("menu.choice.mytickets"),
        sw("menu.choice.integrate"),
    ]
    # Stored: later English-looking words do not switch back.
    assert await alice.say("help") == sw("menu", name="Alice")


async def test_an_english_first_message_keeps_english(alice: Chat) -> None:
    assert await alice.say("Hello") == EN["menu"].format(name="Alice")
    assert await alice.say("Good morning, my payouts are stuck") != ""
    assert await alice.say("Habari") == EN["menu"].format(name="Alice")


async def test_the_desk_default_language_applies_when_nothing_else_says(
    store: Store, clock: FakeClock
) -> None:
    desk = make_desk(store, clock, default_language="sw")
    chat = Chat(desk, "carol")
    assert await chat.say("/start") == sw("menu", name="Carol")


async def test_the_platform_hint_comes_before_detection(store: Store, clock: FakeClock) -> None:
    desk = make_desk(store, clock)
    chat = Chat(desk, "dan", channel="telegram", language_hint="sw-TZ")
    assert await chat.say("/start") == sw("menu", name="Dan")
    chat.language_hint = "en"
    assert await chat.say("/start") == EN["menu"].format(name="Dan")
    # An unsupported language says nothing; what was stored stays.
    chat.language_hint = "fr"
    assert await chat.say("/start") == EN["menu"].format(name="Dan")


async def test_a_pick_outranks_the_platform_and_survives_a_restart(
    store: Store, clock: FakeClock
) -> None:
    chat = Chat(make_desk(store, clock), "erin", channel="telegram", language_hint="en")
    assert await chat.say("lugha") == EN["language.prompt"]
    assert chat.choices == ["English", "Kiswahili"]
    assert await chat.press("lang:sw") == sw("language.set")
    restarted = Chat(make_desk(store, clock), "erin", channel="telegram", language_hint="en")
    assert await restarted.say("/help") == sw("menu", name="Erin")
    assert await restarted.say("language english") == EN["language.set"]
    assert await restarted.say("/help") == EN["menu"].format(name="Erin")


async def test_a_report_entirely_by_typed_swahili_words(alice: Chat, store: Store) -> None:
    assert await alice.say("ripoti") == sw("report.title", limit=120)
    assert await alice.say("Malipo yamekwama") == sw("report.details", limit=4000) + "\n" + sw(
        "report.files.hint"
    )
    assert await alice.say("Kila malipo yanabaki PROCESSING") == sw("report.files.console")
    assert alice.choices == [sw("report.files.continue")]
    assert await alice.say("ruka") == sw("report.environment")
    assert alice.choices == [sw("report.environment.staging"), sw("report.environment.production")]
    severity = await alice.say("majaribio")
    assert severity.startswith("Tatizo lina uzito gani?")
    assert sw("definition.critical") in severity
    summary = await alice.say("hatari")
    assert summary.startswith("Tafadhali hakiki ripoti yako:")
    assert alice.choices == ["Thibitisha", "Ghairi"]
    created = await alice.say("ndiyo")
    environment = "Majaribio (Staging)"
    assert created.startswith(
        sw("report.created", reference="INT-1", severity="Hatari", environment=environment)
    )
    async with store.transaction() as tx:
        ticket = await tx.tickets.get("INT-1")
    assert ticket is not None
    assert (ticket.severity, ticket.environment, ticket.reporter_language) == (
        "critical",
        "staging",
        "sw",
    )


@pytest.mark.parametrize(
    ("environment", "severity", "confirm"),
    [("uzalishaji", "kubwa", "ndio"), ("staging", "ndogo", "thibitisha"), ("2", "minor", "yes")],
)
async def test_choice_words_work_in_either_language_at_the_first_try(
    alice: Chat, environment: str, severity: str, confirm: str
) -> None:
    await alice.say("lugha sw")
    await alice.ripoti("Malipo yamekwama", "Maelezo")
    if environment == "2":
        await alice.press("env:production")
    else:
        assert (await alice.say(environment)).startswith("Tatizo lina uzito gani?")
    assert (await alice.say(severity)).startswith("Tafadhali hakiki")
    assert (await alice.say(confirm)).startswith("Asante. Tatizo lako limesajiliwa kama INT-1")


@pytest.mark.parametrize("word", ["hapana", "ghairi", "sitisha", "cancel"])
async def test_cancel_words_at_the_confirmation(alice: Chat, store: Store, word: str) -> None:
    await alice.say("lugha sw")
    assert await alice.ripoti("Malipo", "Maelezo", "majaribio", "ndogo", word) == sw("cancelled")
    async with store.transaction() as tx:
        assert await tx.tickets.count() == 0


@pytest.mark.parametrize("word", ["sitisha", "ghairi"])
async def test_cancel_words_at_any_step(alice: Chat, word: str) -> None:
    await alice.say("lugha sw")
    await alice.say("ripoti")
    assert await alice.say(word) == sw("cancelled")


async def test_switching_language_mid_flow_asks_the_same_question_in_the_new_language(
    alice: Chat,
) -> None:
    await alice.say("report")
    await alice.say("Payouts stuck")
    assert await alice.say("Every payout stays PROCESSING") == EN["report.files.console"]
    assert await alice.say("continue") == EN["report.environment"]
    assert await alice.say("lugha") == EN["language.prompt"]
    await alice.press("lang:sw")
    assert [m.text for m in alice.last] == [sw("language.set"), sw("report.environment")]
    assert alice.choices == [sw("report.environment.staging"), sw("report.environment.production")]
    # Typed, too: the language name answers the buttons, then the flow goes on.
    assert await alice.say("language") == sw("language.prompt")
    assert await alice.say("English") == f"{EN['language.set']}\n{EN['report.environment']}"
    assert (await alice.say("majaribio")).startswith("How severe is it?")


async def test_switching_in_the_ask_flow_and_after_an_answer(alice: Chat) -> None:
    await alice.say("ask")
    await alice.say("lugha sw")
    assert [m.text for m in alice.last] == [sw("language.set"), sw("ask.prompt", limit=4000)]


async def test_swahili_command_words(alice: Chat) -> None:
    await alice.say("lugha sw")
    assert await alice.say("tiketi zangu") == sw("mytickets.none")
    assert await alice.say("tiketi") == sw("mytickets.none")
    assert await alice.say("msaada") == sw("menu", name="Alice")
    assert await alice.say("hali INT-9") == sw("ref.not_found", reference="INT-9")
    assert await alice.say("sitisha") == sw("nothing_to_cancel")
    assert (await alice.say("uliza")).startswith(sw("ask.prompt", limit=4000))


async def test_status_and_lists_in_swahili_with_the_desk_time(store: Store) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 11, 30, tzinfo=UTC))
    desk = make_desk(store, clock, timezone="Africa/Dar_es_Salaam")
    amina = Chat(desk, "amina")
    await amina.say("lugha sw")
    await amina.ripoti("Malipo yamekwama", "Maelezo", "uzalishaji", "kubwa", "ndiyo")
    status = await amina.say("hali INT-1")
    assert status == sw(
        "status.line",
        reference="INT-1",
        kind="tatizo",
        severity="Kubwa",
        environment="Uzalishaji (Production)",
        title="Malipo yamekwama",
        status="wazi",
        assignee="",
        created="Jumanne, 1 Desemba 2026 14:30 EAT",
    )
    assert await amina.say("tiketi") == "\n".join(
        [
            sw("mytickets.header"),
            sw(
                "mytickets.line",
                reference="INT-1",
                status="wazi",
                severity="Kubwa",
                title="Malipo yamekwama",
            ),
        ]
    )
    # A follow-up: loose text about the active ticket is added to it, in Swahili, with the undo.
    assert await amina.say("Bado inashindwa leo") == sw(
        "routing.followup.added",
        reference="INT-1",
        line="INT-1 · wazi · Kubwa · Malipo yamekwama",
    )
    assert amina.choices == [sw("routing.undo", reference="INT-1")]


async def test_notices_follow_the_reporter_and_alerts_the_team(
    store: Store, clock: FakeClock
) -> None:
    sent = RecordingSender()
    team = Notifier([Target("console", "team")])
    dispatcher = OutboxDispatcher(store, {"console": sent}, clock, team)
    desk = make_desk(store, clock)
    amina, lead = Chat(desk, "amina"), Chat(desk, "lead")
    await amina.say("lugha sw")
    await amina.ripoti("Malipo yamekwama", "Maelezo", "uzalishaji", "kubwa", "ndiyo")
    assert await lead.say("ack INT-1") == EN["team.acknowledged"].format(
        reference="INT-1", actor="Lead"
    )
    await lead.say("reply INT-1 Tunashughulikia")
    await dispatcher.deliver_due()
    notices = sent.texts(chat_id="amina")
    assert notices == [
        sw("notify.acknowledged", reference="INT-1", title="Malipo yamekwama"),
        sw("notify.reply", reference="INT-1", text="Tunashughulikia"),
    ]
    alert = sent.texts(chat_id="team")[0]
    assert alert.startswith("New issue INT-1\nSeverity: Major")
    assert EN["alert.language"].format(language="Kiswahili") in alert


async def test_team_texts_in_the_configured_team_language(store: Store, clock: FakeClock) -> None:
    sent = RecordingSender()
    notifier = Notifier([Target("console", "team")], team_language="sw")
    dispatcher = OutboxDispatcher(store, {"console": sent}, clock, notifier)
    desk = make_desk(store, clock, team_language="sw")
    bob = Chat(desk, "bob")
    await bob.say("report")
    await bob.say("Payouts stuck")
    await bob.say("Every payout stays PROCESSING")
    await bob.press("files:continue")
    await bob.press("env:production")
    await bob.press("sev:major")
    assert (await bob.press("confirm:yes")).startswith("Thank you.")
    await dispatcher.deliver_due()
    alert = sent.texts(chat_id="team")[0]
    assert alert.startswith(
        "Tiketi mpya (tatizo) INT-1\nUzito: Kubwa · Mazingira: Uzalishaji (Production)"
    )
    assert sw("alert.language", language="English") in alert
