"""The English source texts, one module per part of the product.

Each module here holds one `EN = {...}` dict literal (keys and texts as literals, so the catalog
extractor can read them without importing). `english_table()` joins them; a key defined in two
modules is an error, so a new feature adds its own module instead of editing a shared one.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def text_modules() -> list[str]:
    """The module names holding texts, in the (stable, alphabetical) order the catalogs use."""
    return sorted(info.name for info in pkgutil.iter_modules([str(PACKAGE_DIR)]))


def english_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for name in text_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        for key, text in module.EN.items():
            if key in table:
                raise ValueError(f"message key {key!r} is defined twice (second in {name})")
            table[key] = text
    return table
