"""Loading and checking knowledge-base Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from handlers.knowledge import KnowledgeBaseError, check, load_entries
from handlers.knowledge.entries import parse_text

ROOT = Path(__file__).resolve().parent.parent

REQUIRED_IDS = [
    "eligibility",
    "request-integration",
    "integration-scope",
    "documentation",
    "data-mapping",
    "security-compliance",
    "reporting-issues",
    "severity-levels",
    "test-environments",
    "uat",
    "go-live",
    "kyc",
    "ongoing-support",
    "contact",
    "api-token",
    "unauthorized-401",
    "api-key-lost",
    "kyc-limits",
    "rate-limits",
    "checksum",
    "webhooks",
    "payment-status",
    "ussd-push-pending",
    "order-reference",
    "phone-format",
    "feature-access",
    "currencies",
    "payment-methods",
    "payouts",
    "payout-cooldown",
    "billpay",
    "ip-whitelist",
]

GOOD = """# Title of the file

## How do I get a token?
id: api-token
keywords: token, jwt, tokeni
source: https://docs.example.com/token

Call the token endpoint.

### Details
Headings below ## belong to the body.

```
# a comment in code is not a heading
## nor is this
```

## Second entry
id: second
keywords: other
source: https://docs.example.com/other

Another answer.
"""


def write(tmp_path: Path, text: str, name: str = "kb.md") -> Path:
    file = tmp_path / name
    file.write_text(text, encoding="utf-8")
    return file


def test_shipped_knowledge_base_is_valid_and_complete() -> None:
    assert check(ROOT / "kb") == []
    entries = load_entries(ROOT / "kb")
    ids = [e.id for e in entries]
    assert sorted(set(REQUIRED_IDS) - set(ids)) == []
    for entry in entries:
        # API facts link to the public docs; process entries name the program document.
        assert entry.source.startswith("https://docs.clickpesa.com/") or entry.source.startswith(
            "ClickPesa integration program document"
        ), entry.id
        assert entry.body and entry.title and entry.keywords, entry.id


def test_parses_entries_with_metadata_body_and_code(tmp_path: Path) -> None:
    entries = load_entries(write(tmp_path, GOOD))
    assert [e.id for e in entries] == ["api-token", "second"]
    first = entries[0]
    assert first.title == "How do I get a token?"
    assert first.keywords == ("token", "jwt", "tokeni")
    assert first.source == "https://docs.example.com/token"
    assert first.body.startswith("Call the token endpoint.")
    assert "## nor is this" in first.body
    assert first.line == 3


def test_folder_reads_every_markdown_file_but_readme(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.md")
    write(tmp_path, "## Third\nid: third\nkeywords: x\nsource: https://e.com\n\nBody.\n", "b.md")
    write(tmp_path, "# How to write entries\nnot an entry\n", "README.md")
    assert [e.id for e in load_entries(tmp_path)] == ["api-token", "second", "third"]


def test_duplicate_ids_across_files_are_reported_with_both_places(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.md")
    write(tmp_path, GOOD.replace("id: second", "id: third"), "b.md")
    problems = check(tmp_path)
    assert len(problems) == 1
    assert "duplicate id 'api-token'" in problems[0]
    assert "b.md:3" in problems[0] and "a.md:3" in problems[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## T\nkeywords: k\nsource: https://e.com\n\nBody.\n", "missing 'id:'"),
        ("## T\nid: t\nsource: https://e.com\n\nBody.\n", "missing 'keywords:'"),
        ("## T\nid: t\nkeywords: k\n\nBody.\n", "missing 'source:'"),
        ("## T\nid: t\nkeywords: k\nsource: https://e.com\n", "has no answer text"),
        ("## T\nid: Bad_Id\nkeywords: k\nsource: https://e.com\n\nB.\n", "lower-case letters"),
        ("## T\nid: t\nkeywords: k\nsource: ftp://e.com/x\n\nB.\n", "must be http(s)"),
        ("## T\nid: t\nkeywords: k\nsource: https://e.com\nlang: sw\n\nB.\n", "unknown metadata"),
        ("## T\nid: t\nid: u\nkeywords: k\nsource: https://e.com\n\nB.\n", "'id' given twice"),
        ("## T\nid: t\nkeywords: k\nThe answer right away.\n", "expected 'key: value'"),
        ("##T\nid: t\n", "space after '##'"),
        ("Just prose, no headings.\n", "no entries"),
        ("## A\nid: a\nkeywords: k\nsource: https://e.com\n\nB.\n# Late title\n", "'# ' title"),
    ],
)
def test_check_explains_each_structural_problem(text: str, expected: str) -> None:
    _, problems = parse_text(text, "kb.md")
    assert any(expected in p for p in problems), problems
    assert all(p.startswith("kb.md") for p in problems)


def test_missing_path_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    problems = check(tmp_path / "nowhere")
    assert problems and "no knowledge-base files" in problems[0]


def test_load_refuses_broken_files_listing_every_problem(tmp_path: Path) -> None:
    write(tmp_path, "## A\nid: a\n\nBody.\n## B\nid: b\nkeywords: k\n\nBody.\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_entries(tmp_path)
    assert len(caught.value.problems) == 3  # a: keywords, source; b: source


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.md").write_bytes(b"## T\xff\n")
    assert any("cannot read" in p for p in check(tmp_path))


def test_wrapped_lines_are_joined_into_paragraphs_and_list_items() -> None:
    text = (
        "## T\nid: t\nkeywords: k\nsource: https://e.com\n\n"
        "First paragraph,\nwrapped in the file.\n\n"
        "- item one\n  continues here\n- item two\n\n"
        "```\ncode  stays\nas is\n```\n"
    )
    (entry,), problems = parse_text(text, "kb.md")
    assert problems == []
    assert entry.body == (
        "First paragraph, wrapped in the file.\n\n"
        "- item one continues here\n- item two\n\n"
        "```\ncode  stays\nas is\n```"
    )


BILINGUAL = """## How do I get a token?
id: api-token
keywords: token, tokeni
source: https://docs.example.com/token

Call the token endpoint.

### Details
Still the English answer.

### [sw] Ninapataje token?

Tuma ombi kwa endpoint ya token,
iliyoandikwa kwenye mistari miwili.

```
### [sw] inside code is code
```
"""


def test_a_swahili_answer_follows_the_english_one(tmp_path: Path) -> None:
    (entry,) = load_entries(write(tmp_path, BILINGUAL))
    assert entry.body == "Call the token endpoint.\n\n### Details\nStill the English answer."
    assert entry.languages == ("en", "sw")
    swahili = entry.in_language("sw")
    assert swahili.title == "Ninapataje token?"
    assert swahili.body.startswith(
        "Tuma ombi kwa endpoint ya token, iliyoandikwa kwenye mistari miwili."
    )
    assert "### [sw] inside code is code" in swahili.body
    assert check(tmp_path, ("sw",)) == []


@pytest.mark.parametrize("language", ["sw", "SW", "sw-TZ", "sw_TZ"])
def test_the_accessor_reads_language_tags_as_platforms_send_them(
    tmp_path: Path, language: str
) -> None:
    (entry,) = load_entries(write(tmp_path, BILINGUAL))
    assert entry.in_language(language).title == "Ninapataje token?"


@pytest.mark.parametrize("language", ["en", "en-US", "fr", "", None])
def test_the_accessor_falls_back_to_english(tmp_path: Path, language: str | None) -> None:
    (entry,) = load_entries(write(tmp_path, BILINGUAL))
    answer = entry.in_language(language)
    assert (answer.language, answer.title, answer.body) == ("en", entry.title, entry.body)


def test_a_missing_swahili_answer_fails_the_check_but_still_loads(tmp_path: Path) -> None:
    write(tmp_path, GOOD)
    problems = check(tmp_path, ("sw",))
    assert len(problems) == 2
    assert "entry 'api-token' has no Swahili answer" in problems[0]
    assert "'### [sw] <title>'" in problems[0] and "kb.md:3" in problems[0]
    assert check(tmp_path) == []  # an English-only knowledge base can opt out
    entries = load_entries(tmp_path)
    assert entries[0].in_language("sw").body == entries[0].body


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ("### [sw] Kichwa\n\n", "has no Swahili answer text"),
        ("### [sw]\n\nJibu.\n", "needs a title after [sw]"),
        ("### [sw] A\n\nJibu.\n\n### [sw] B\n\nJibu.\n", "has a second Swahili answer"),
        ("### [en] Title\n\nAnswer.\n", "English is the untagged answer"),
    ],
)
def test_check_explains_each_translation_problem(section: str, expected: str) -> None:
    text = f"## T\nid: t\nkeywords: k\nsource: https://e.com\n\nAnswer.\n\n{section}"
    _, problems = parse_text(text, "kb.md")
    assert any(expected in p for p in problems), problems


def test_every_shipped_entry_answers_in_swahili() -> None:
    for entry in load_entries(ROOT / "kb"):
        swahili = entry.in_language("sw")
        assert swahili.language == "sw", entry.id
        assert swahili.title != entry.title and swahili.body != entry.body, entry.id
