"""Keeping the catalogs in step with the code, with Babel.

`extract_table` is a Babel extraction method: it reads the `EN = {...}` table of each module
in `handlers/texts/` (parsed, not imported) and yields each text with its key as the gettext
context. `refresh()` writes the template (`deskbot.pot`) and merges it into every language's `.po`
the way `pybabel update` does: new messages arrive untranslated, a message whose English changed
keeps its old translation marked fuzzy (not shown until a translator confirms it), removed ones
become obsolete. `problems()` says what is out of step; the catalog tests fail on any.

Run it as `./scripts/catalogs` (or `python -m handlers.i18n.extract [--check]`).
"""

from __future__ import annotations

import argparse
import ast
import string
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any, cast

from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from handlers.i18n.catalogs import DOMAIN, LANGUAGES, SOURCE_LANGUAGE, po_path, pot_path
from handlers.texts import text_modules

SOURCES = Path(__file__).resolve().parent.parent / "texts"
TABLE = "EN"
# Fixed so that refreshing an unchanged catalog rewrites nothing (and merges stay quiet).
_CREATED = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
_WIDTH = 100


def extract_table(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extraction method for the English table: `(line, "pgettext", (key, text), [])`."""
    tree = ast.parse(fileobj.read())
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if not (isinstance(target, ast.Name) and target.id == TABLE):
            continue
        table = getattr(node, "value", None)
        if not isinstance(table, ast.Dict):
            raise ValueError(f"{TABLE} in {_name(fileobj)} must be a dict literal")
        for key, value in zip(table.keys, table.values, strict=True):
            if not (isinstance(key, ast.Constant) and isinstance(value, ast.Constant)):
                where = f"{_name(fileobj)}:{value.lineno}"
                raise ValueError(f"{where}: keys and texts must be literals")
            yield value.lineno, "pgettext", (str(key.value), str(value.value)), []


def _name(fileobj: IO[bytes]) -> str:
    return str(getattr(fileobj, "name", "handlers/texts"))


def placeholders(text: str) -> set[str]:
    """The named placeholders of a `str.format` template."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _valid(text: str) -> bool:
    try:
        placeholders(text)
    except ValueError:
        return False
    return True


def template() -> Catalog:
    """The `.pot` as the code says it should be."""
    pot = Catalog(
        domain=DOMAIN,
        project="Deskbot",
        version="",
        copyright_holder="ClickPesa",
        msgid_bugs_address="",
        creation_date=_CREATED,
        revision_date=_CREATED,
        fuzzy=False,
        header_comment=(
            "# The Deskbot desk's messages: the template every translation starts from.\n"
            "# Generated from the EN tables in handlers/texts/ by ./scripts/catalogs;\n"
            "# do not edit by hand (see README, Languages)."
        ),
    )
    for module in text_modules():
        name = f"handlers/texts/{module}.py"
        with (SOURCES / f"{module}.py").open("rb") as source:
            # Babel's annotation wants the general extractor signature; ours is one of its cases.
            for lineno, message, comments, context in extract(cast(Any, extract_table), source):
                pot.add(
                    message,
                    locations=[(name, lineno)],
                    auto_comments=comments,
                    context=context,
                )
    return pot


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=language, domain=DOMAIN)


def _render(catalog: Catalog) -> bytes:
    # No line numbers: they would change whenever anyone edits a texts module, and every helper's
    # change would then conflict in every catalog.
    out = BytesIO()
    write_po(
        out,
        catalog,
        width=_WIDTH,
        include_lineno=False,
        include_previous=False,
        ignore_obsolete=False,
    )
    return out.getvalue()


def refreshed() -> dict[Path, bytes]:
    """Every catalog file as a refresh writes it."""
    pot = template()
    files = {pot_path(): _render(pot)}
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        path = po_path(language)
        if path.exists():
            po = _read(path, language)
        else:
            po = Catalog(locale=language, domain=DOMAIN, creation_date=_CREATED, fuzzy=False)
        po.update(pot, update_header_comment=False, update_creation_date=False)
        files[path] = _render(po)
    return files


def refresh() -> list[Path]:
    """Write the catalogs; the files that changed."""
    changed = []
    for path, content in refreshed().items():
        if not path.exists() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
            changed.append(path)
    return changed


def problems() -> list[str]:
    """What is wrong with the catalogs as committed: out of date with the code, a message
    untranslated or fuzzy, placeholders that differ from the English."""
    pot = template()
    wanted = {(m.context, m.id) for m in pot if m.id}
    found: list[str] = []
    if not pot_path().exists():
        return [f"{pot_path()} is missing: run ./scripts/catalogs"]
    committed = {(m.context, m.id) for m in _read(pot_path()) if m.id}
    for context, _ in sorted(wanted - committed, key=str):
        found.append(f"{DOMAIN}.pot lacks {context!r}: run ./scripts/catalogs")
    for context, _ in sorted(committed - wanted, key=str):
        found.append(f"{DOMAIN}.pot has {context!r}, which the code no longer has or changed")
    for language in LANGUAGES:
        if language == SOURCE_LANGUAGE:
            continue
        path = po_path(language)
        if not path.exists():
            found.append(f"{path} is missing: run ./scripts/catalogs")
        else:
            found += translation_problems(language, pot, _read(path, language))
    return found


def translation_problems(language: str, pot: Catalog, po: Catalog) -> list[str]:
    """What `po` (the `language` catalog) lacks or gets wrong against the template `pot`."""
    found = []
    present = {(m.context, m.id): m for m in po if m.id}
    wanted = set()
    for message in pot:
        if not message.id:
            continue
        wanted.add((message.context, message.id))
        where = f"{language}: {message.context!r}"
        entry = present.get((message.context, message.id))
        if entry is None:
            found.append(f"{where} is not in the .po (or its English changed): run the refresh")
        elif not entry.string:
            found.append(f"{where} has no translation")
        elif entry.fuzzy:
            found.append(f"{where} is marked fuzzy: check the translation, then drop the flag")
        elif not _valid(str(entry.string)):
            found.append(f"{where} is not a valid template (a lone {{ or }}?)")
        elif placeholders(str(entry.string)) != placeholders(str(message.id)):
            found.append(
                f"{where} placeholders differ: English {sorted(placeholders(str(message.id)))}, "
                f"translation {sorted(placeholders(str(entry.string)))}"
            )
    for key in sorted(set(present) - wanted, key=str):
        found.append(f"{language}: {key[0]!r} is not in the code (stale): run the refresh")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Refresh or check the gettext catalogs.")
    parser.add_argument("--check", action="store_true", help="only report problems; exit 1")
    args = parser.parse_args(argv)
    if not args.check:
        for path in refresh():
            print(f"updated {path}")
    issues = problems()
    for issue in issues:
        print(issue, file=sys.stderr)
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main())
