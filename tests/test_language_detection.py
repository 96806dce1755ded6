"""Recognising a first message's language, and the Swahili command words."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from handlers import commands
from handlers.i18n.catalogs import normalise_language, parse_language
from handlers.i18n.dates import when
from handlers.i18n.detect import detect
from storage import Database
from storage.database import alembic_config


@pytest.mark.parametrize(
    "message",
    [
        "Habari",
        "Shikamoo",
        "Mambo",
        "Mambo vipi",
        "Hujambo",
        "asante",
        "Malipo yangu yamekwama tangu asubuhi",
        "Nawezaje kupata API key?",
        "webhook haifanyi kazi",
        "Checksum ni nini?",
        "Nimepata hitilafu 401 kwenye token ya INT-4",
    ],
)
def test_clearly_swahili(message: str) -> None:
    assert detect(message) == "sw"


@pytest.mark.parametrize(
    "message",
    [
        "My payout is stuck",
        "Good morning",
        "Payment failed on staging",
        "Where do I find my client id?",
    ],
)
def test_clearly_english(message: str) -> None:
    assert detect(message) == "en"


@pytest.mark.parametrize("message", ["", "hi", "ok", "INT-4", "123", "👍", "callback URL", "?"])
def test_too_little_to_say(message: str) -> None:
    assert detect(message) is None


@pytest.mark.parametrize(
    ("typed", "parsed"),
    [
        ("ripoti", ("report", "")),
        ("/ripoti", ("report", "")),
        ("uliza Nawezaje kupata token?", ("ask", "Nawezaje kupata token?")),
        ("hali INT-2", ("status", "INT-2")),
        ("tiketi", ("mytickets", "")),
        ("tiketi zangu", ("mytickets", "")),
        ("sitisha", ("cancel", "")),
        ("msaada", ("help", "")),
        ("lugha", ("language", "")),
        ("lugha sw", ("language", "sw")),
        ("language Kiswahili", ("language", "Kiswahili")),
    ],
)
def test_swahili_command_words(typed: str, parsed: tuple[str, str]) -> None:
    assert commands.parse(typed, in_flow=False) == parsed


def test_inside_a_flow_only_cancel_and_language_are_commands() -> None:
    assert commands.parse("sitisha", in_flow=True) == ("cancel", "")
    assert commands.parse("lugha", in_flow=True) == ("language", "")
    assert commands.parse("lugha english", in_flow=True) == ("language", "english")
    assert commands.parse("lugha ya malipo", in_flow=True) is None
    assert commands.parse("hali INT-2", in_flow=True) is None
    # "hali" in a sentence is not the command.
    assert commands.parse("hali ya malipo yangu ni mbaya", in_flow=False) is None


def test_language_names_and_platform_tags() -> None:
    assert [parse_language(w) for w in ("Kiswahili", "swahili", "sw", "English", "kiingereza")] == [
        "sw",
        "sw",
        "sw",
        "en",
        "en",
    ]
    assert parse_language("français") is None
    assert [normalise_language(tag) for tag in ("sw-TZ", "sw", "en_US", "fr", "", None)] == [
        "sw",
        "sw",
        "en",
        None,
        None,
        None,
    ]


def test_dates_in_the_persons_language_and_the_desks_zone() -> None:
    from datetime import UTC, datetime

    moment = datetime(2026, 12, 1, 11, 30, tzinfo=UTC)
    assert when(moment, "sw", "Africa/Dar_es_Salaam") == "Jumanne, 1 Desemba 2026 14:30 EAT"
    assert when(moment, "en", "Africa/Dar_es_Salaam") == "Tuesday, 1 December 2026 14:30 EAT"
    assert when(moment, "en", "UTC") == "Tuesday, 1 December 2026 11:30 UTC"


async def test_the_language_migration_keeps_existing_tickets(database_url: str) -> None:
    database = Database(database_url)
    try:
        async with database.engine.begin() as conn:
            await conn.run_sync(lambda c: command.upgrade(alembic_config(c), "0003_outbox_order"))
            await conn.execute(
                text(
                    "INSERT INTO ticket (reference, kind, title, description, status, "
                    "reporter_channel, reporter_user_id, reporter_name, reporter_chat_id, "
                    "created_at, updated_at, escalation_level, escalation_repeats) VALUES "
                    "('INT-1', 'issue', 'Old', 'kept', 'open', 'console', 'amina', 'Amina', "
                    "'amina', '2026-11-01 08:00:00', '2026-11-01 08:00:00', 0, 0)"
                )
            )
        await database.upgrade()
        async with database.engine.connect() as conn:
            row = (await conn.execute(text("SELECT title, reporter_language FROM ticket"))).one()
            people = (await conn.execute(text("SELECT count(*) FROM person"))).scalar()
        assert tuple(row) == ("Old", None)
        assert people == 0
    finally:
        await database.close()
