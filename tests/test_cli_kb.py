"""`deskbot kb search` and `deskbot kb check` through an argparse parser like the main CLI's."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from bot.cli_kb import add_kb_commands

ROOT = Path(__file__).resolve().parent.parent


def run(*argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="deskbot")
    parser.add_argument("--config")
    add_kb_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    out, err = io.StringIO(), io.StringIO()
    status = args.func(args, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


def test_search_json_lists_ids_titles_scores_best_first() -> None:
    status, out, _ = run("kb", "--kb", str(ROOT / "kb"), "search", "Malipo yamekwama?", "--json")
    assert status == 0
    rows = json.loads(out)
    assert rows[0]["id"] == "ussd-push-pending"
    assert set(rows[0]) == {"id", "title", "score"}
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def test_search_text_marks_questions_the_bot_would_not_answer() -> None:
    status, out, _ = run("kb", "--kb", str(ROOT / "kb"), "search", "recipe for pilau")
    assert status == 0
    assert "no entry matches" in out or "would not answer" in out
    status, out, _ = run("kb", "--kb", str(ROOT / "kb"), "search", "how to get a token")
    assert out.split()[1] == "api-token"
    assert "would not answer" not in out


def test_check_passes_on_the_shipped_kb_and_fails_with_messages(tmp_path: Path) -> None:
    status, out, _ = run("kb", "--kb", str(ROOT / "kb"), "check")
    assert status == 0 and out.startswith("ok: ")
    (tmp_path / "a.md").write_text("## T\nid: t\n\nbody\n", "utf-8")
    (tmp_path / "b.md").write_text("## T\nid: t\nkeywords: k\nsource: https://e.com\n\nb\n")
    status, _, err = run("kb", "--kb", str(tmp_path), "check")
    assert status == 1
    assert "missing 'keywords:'" in err and "missing 'source:'" in err
    assert "problem(s)" in err


def test_path_and_threshold_come_from_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "deskbot.toml"
    config.write_text(f'[kb]\npath = "{ROOT / "kb"}"\nmin_score = 1000\n', "utf-8")
    status, out, _ = run("--config", str(config), "kb", "search", "how to get a token")
    assert status == 0 and "would not answer" in out
    config.write_text('[kb]\nmin_score = "high"\n', "utf-8")
    status, _, err = run("--config", str(config), "kb", "check")
    assert status == 2 and "kb.min_score" in err


def test_broken_knowledge_base_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    status, _, err = run("kb", "--kb", str(tmp_path / "missing"), "search", "token")
    assert status == 1 and "no knowledge-base files" in err
