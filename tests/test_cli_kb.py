"""`deskbot kb search|check|stats` through the real `deskbot` entry point."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from storage import Database, Store
from storage.kb_log import Outcome
from tests.databases import database_url_for

ROOT = Path(__file__).resolve().parent.parent


def config(tmp_path: Path, kb: str = "") -> Path:
    file = tmp_path / "config.toml"
    file.write_text(f'[desk]\ndatabase_url = "{database_url_for(tmp_path)}"\n{kb}', "utf-8")
    return file


def deskbot(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_search_json_lists_ids_titles_scores_best_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(config(tmp_path))
    status, out, _ = deskbot(capsys, "kb", "search", "Malipo yamekwama?", "--json", "--config", cfg)
    assert status == 0
    rows = json.loads(out)
    assert rows[0]["id"] == "ussd-push-pending"
    assert set(rows[0]) == {"id", "title", "score"}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_text_marks_questions_the_bot_would_not_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(config(tmp_path))
    status, out, _ = deskbot(capsys, "kb", "search", "recipe for pilau", "--config", cfg)
    assert status == 0
    assert "no entry matches" in out or "would not answer" in out
    _, out, _ = deskbot(capsys, "kb", "search", "how to get a token", "--config", cfg)
    assert out.split()[1] == "api-token"
    assert "would not answer" not in out


def test_threshold_and_path_come_from_the_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(config(tmp_path, f'[kb]\npath = "{ROOT / "kb"}"\nmin_score = 1000\n'))
    status, out, _ = deskbot(capsys, "kb", "search", "how to get a token", "--config", cfg)
    assert status == 0 and "would not answer" in out
    cfg = str(config(tmp_path, '[kb]\nmin_score = "high"\n'))
    status, _, err = deskbot(capsys, "kb", "check", "--config", cfg)
    assert status == 2 and "kb.min_score" in err
    cfg = str(config(tmp_path, "[kb]\nminimum = 1\n"))
    status, _, err = deskbot(capsys, "kb", "check", "--config", cfg)
    assert status == 2 and "kb.minimum" in err


def test_check_passes_on_the_shipped_kb_and_fails_with_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = str(config(tmp_path))
    status, out, _ = deskbot(capsys, "kb", "check", "--config", cfg)
    assert status == 0 and out.startswith("ok: 32 entries")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "a.md").write_text("## T\nid: t\n\nbody\n", "utf-8")
    status, _, err = deskbot(capsys, "kb", "check", "--kb", str(broken), "--config", cfg)
    assert status == 1
    assert "missing 'keywords:'" in err and "missing 'source:'" in err and "problem(s)" in err
    status, _, err = deskbot(capsys, "kb", "search", "token", "--kb", str(broken), "--config", cfg)
    assert status == 1 and "missing 'keywords:'" in err


def test_check_fails_when_an_entry_has_no_swahili_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    english_only = tmp_path / "kb"
    english_only.mkdir()
    entry = "## Token?\nid: token\nkeywords: token\nsource: https://e.com\n\nCall it.\n"
    (english_only / "a.md").write_text(entry, "utf-8")
    cfg = str(config(tmp_path))
    status, _, err = deskbot(capsys, "kb", "check", "--kb", str(english_only), "--config", cfg)
    assert status == 1 and "entry 'token' has no Swahili answer" in err
    opted_out = str(config(tmp_path, "[kb]\nlanguages = []\n"))
    status, out, _ = deskbot(
        capsys, "kb", "check", "--kb", str(english_only), "--config", opted_out
    )
    assert status == 0 and out.startswith("ok: 1 entries")
    (english_only / "a.md").write_text(entry + "\n### [sw] Token?\n\nIite.\n", "utf-8")
    status, out, _ = deskbot(capsys, "kb", "check", "--kb", str(english_only), "--config", cfg)
    assert status == 0 and out.startswith("ok: 1 entries")


@pytest.mark.parametrize("value", ['"sw"', '["en"]', '["Swahili"]', "[1]"])
def test_a_wrong_languages_value_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], value: str
) -> None:
    cfg = str(config(tmp_path, f"[kb]\nlanguages = {value}\n"))
    status, _, err = deskbot(capsys, "kb", "check", "--config", cfg)
    assert status == 2 and "kb.languages" in err


async def _fill_log(url: str) -> None:
    async with Database(url) as database:
        await database.upgrade()
        async with Store(database).transaction() as tx:
            now = datetime(2026, 3, 2, 9, tzinfo=UTC)
            log = tx.kb_log
            log.record("console", "a", "token?", Outcome.answered, now, "api-token", 3.2)
            log.record("console", "a", "token?", Outcome.helpful, now, "api-token")
            log.record("console", "b", "401?", Outcome.answered, now, "unauthorized-401", 2.0)
            log.record(
                "console", "b", "401?", Outcome.not_helpful, now, "unauthorized-401", None, "INT-1"
            )
            log.record(
                "console",
                "c",
                "Settlement per branch?",
                Outcome.no_answer,
                now,
                None,
                None,
                "INT-2",
            )
            log.record(
                "console", "d", "settlement per branch", Outcome.no_answer, now, None, None, "INT-3"
            )
            old = datetime(2025, 1, 1, tzinfo=UTC)
            log.record("console", "e", "Old question?", Outcome.no_answer, old, None, None, "INT-4")


def test_stats_counts_answers_feedback_and_lists_unanswered_questions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path)
    asyncio.run(_fill_log(database_url_for(tmp_path)))
    status, out, _ = deskbot(capsys, "kb", "stats", "--json", "--config", str(cfg))
    assert status == 0
    data = json.loads(out)
    assert (data["answered"], data["helpful"], data["not_helpful"]) == (2, 1, 1)
    assert (data["no_answer"], data["escalated"]) == (3, 4)
    assert data["unanswered_questions"][0] == {"question": "Settlement per branch?", "count": 2}
    status, out, _ = deskbot(capsys, "kb", "stats", "--since", "2026-01-01", "--config", str(cfg))
    assert status == 0
    assert "escalated to team:  3" in out and "2 x Settlement per branch?" in out
    assert "Old question" not in out
    status, _, err = deskbot(capsys, "kb", "stats", "--since", "yesterday", "--config", str(cfg))
    assert status == 2 and "--since" in err


async def _fill_margins(url: str) -> None:
    async with Database(url) as database:
        await database.upgrade()
        async with Store(database).transaction() as tx:
            now = datetime(2026, 3, 2, 9, tzinfo=UTC)
            log = tx.kb_log
            log.record("console", "a", "any update??", Outcome.answered, now, "api-key-lost", 0.62)
            log.record("console", "a", "any update??", Outcome.not_helpful, now, "api-key-lost")
            log.record("console", "b", "token?", Outcome.answered, now, "api-token", 3.2, None, 0.4)


def test_stats_shows_answers_marked_no_and_low_margin_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cfg = config(tmp_path)
    asyncio.run(_fill_margins(database_url_for(tmp_path)))
    status, out, _ = deskbot(capsys, "kb", "stats", "--json", "--config", str(cfg))
    assert status == 0
    data = json.loads(out)
    assert data["low_margin"] == 1
    assert data["marked_no"] == [
        {"question": "any update??", "entry_id": "api-key-lost", "count": 1}
    ]
    assert data["low_margin_answers"][0]["entry_id"] == "api-key-lost"
    status, out, _ = deskbot(capsys, "kb", "stats", "--config", str(cfg))
    assert "low-margin answers: 1" in out
    assert "1 x api-key-lost: any update??" in out
    assert "0.620 (runner-up none) api-key-lost: any update??" in out
    status, out, _ = deskbot(capsys, "kb", "stats", "--margin", "5", "--json", "--config", str(cfg))
    assert json.loads(out)["low_margin"] == 2
    status, _, err = deskbot(capsys, "kb", "stats", "--margin", "-1", "--config", str(cfg))
    assert status == 2 and "--margin" in err
