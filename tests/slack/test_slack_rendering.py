"""mrkdwn escaping, Block Kit rendering of engine messages, and the /desk parser."""

from __future__ import annotations

import json

from bot.channels.slack import command
from bot.channels.slack.blocks import (
    CHOICE_BLOCK,
    SECTION_LIMIT,
    label_of,
    render,
    text_sections,
    without_choices,
)
from bot.channels.slack.command import CommandProblem, DeskCommand
from bot.channels.slack.mrkdwn import escape, escape_clipped
from handlers.events import Choice, Message


def test_escape_neutralises_mentions_and_links() -> None:
    assert escape("<!channel> & <https://evil|bank>") == (
        "&lt;!channel&gt; &amp; &lt;https://evil|bank&gt;"
    )
    assert escape("plain *bold* text") == "plain *bold* text"


def test_escape_clipped_never_splits_an_entity() -> None:
    clipped = escape_clipped("<" * 50, 20)
    assert len(clipped) <= 20
    assert clipped.endswith("…")
    assert clipped.removesuffix("…").replace("&lt;", "") == ""


def test_render_escapes_text_and_makes_buttons_from_choices() -> None:
    message = Message(
        "Severity of <!here>?",
        (
            Choice("Critical", "critical", "System is unusable or data integrity is compromised."),
            Choice("Minor", "minor", "Non-critical issues causing inconvenience."),
        ),
    )
    text, blocks = render(message)
    assert text == "Severity of &lt;!here&gt;?"
    assert "<!here>" not in json.dumps(blocks)
    actions = next(b for b in blocks if b.get("block_id") == CHOICE_BLOCK)
    assert [e["text"]["text"] for e in actions["elements"]] == ["Critical", "Minor"]
    assert [e["value"] for e in actions["elements"]] == ["critical", "minor"]
    assert "data integrity" in json.dumps(blocks)
    assert label_of(blocks, "minor") == "Minor"

    after = without_choices(blocks, "Critical")
    assert all(b.get("type") != "actions" for b in after)
    assert "data integrity" not in json.dumps(after)
    assert after[-1]["elements"][0]["text"] == "✓ Critical"


def test_long_text_is_split_into_sections_within_limits() -> None:
    text = "\n\n".join(["word " * 500] * 3) + "&" * 4000
    blocks = text_sections(text, budget=40_000)  # the total limit is tested apart
    assert all(len(b["text"]["text"]) <= SECTION_LIMIT for b in blocks)
    joined = "".join(b["text"]["text"] for b in blocks)
    assert joined.count("&amp;") == 4000


def parse(text: str) -> DeskCommand | CommandProblem:
    return command.parse(text, "/desk", "INT")


def test_parse_subcommands() -> None:
    assert parse("") == DeskCommand("help")
    assert parse("  HELP ") == DeskCommand("help")
    assert parse("report") == DeskCommand("report")
    assert parse("ask How do I <b>sign</b>?") == DeskCommand("ask", text="How do I <b>sign</b>?")
    assert parse("status int-42") == DeskCommand("status", reference="INT-42")
    assert parse("ack 42") == DeskCommand("ack", reference="INT-42")
    assert parse("reply INT-7 Fixed, please retry") == DeskCommand(
        "reply", reference="INT-7", text="Fixed, please retry"
    )
    assert parse("list critical") == DeskCommand("list", list_filter="critical")
    assert parse("list").list_filter == "open"  # type: ignore[union-attr]
    assert parse("note INT-3 checked logs").for_team  # type: ignore[union-attr]


def test_parse_bad_input_gets_an_answer() -> None:
    bad_inputs = ("ask", "status", "status nope", "reply INT-1", "ack INT-1 x", "list all", "zap")
    for bad in bad_inputs:
        outcome = parse(bad)
        assert isinstance(outcome, CommandProblem), bad
        assert outcome.message


def test_command_texts_come_from_the_catalog_unchanged() -> None:
    assert command.usage("/desk", "INT", team=True) == "\n".join(
        [
            "/desk report: report an integration issue (opens a form)",
            "/desk ask <question>: ask an integration question",
            "/desk status INT-42: the status of a ticket",
            "/desk mine: your tickets",
            "/desk integrate: request integration (opens a form) · /desk progress [PRJ-3]: "
            "where your project stands · /desk uat: your UAT cases",
            "/desk list [open|critical|major|minor]: tickets for the team",
            "/desk ack|take|resolve INT-42: act on a ticket",
            "/desk reopen INT-42: reopen a resolved ticket",
            "/desk assign INT-42 <name or id>: give a ticket to a member",
            "/desk reply INT-42 <text>: answer the merchant",
            "/desk note INT-42 <text>: an internal note (the merchant never sees it)",
            "/desk report <days>: MTTA, MTTR, SLA and knowledge-base figures for the last days",
            "/desk projects [stage] · /desk project|accept|take|confirm PRJ-3 · "
            "/desk check PRJ-3 <n> · /desk advance PRJ-3 [note] · "
            "/desk golive PRJ-3 YYYY-MM-DD HH:MM: the integration program",
            "/desk block|unblock slack:<user id> [hours]: stop a reporter who floods the desk",
        ]
    )
    problems = {
        "ask": "Please add your question: /desk ask <question>",
        "list all": "Usage: /desk list [open|critical|major|minor]",
        "status nope": "Please name a ticket like INT-42: /desk status INT-42",
        "reply INT-1": "Please add the text: /desk reply INT-42 <text>",
        "ack INT-1 x": "Usage: /desk ack INT-42",
        "zap": "I don't know “zap”.\n" + command.usage("/desk", "INT"),
    }
    for text, expected in problems.items():
        assert parse(text) == CommandProblem(expected), text


def test_parse_reads_references_with_the_desks_prefix() -> None:
    assert command.parse("status ops-7", "/desk", "OPS") == DeskCommand("status", reference="OPS-7")
    assert command.parse("ack 7", "/desk", "OPS") == DeskCommand("ack", reference="OPS-7")
    assert command.parse("status", "/desk", "OPS") == CommandProblem(
        "Please name a ticket like OPS-42: /desk status OPS-42"
    )
    assert "/desk status OPS-42" in command.usage("/desk", "OPS")
