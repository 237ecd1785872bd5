"""The domain glossary (docs/glossary.md) as data, so tests can check pages against it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

GLOSSARY = Path(__file__).resolve().parents[2] / "docs" / "glossary.md"


@dataclass(frozen=True)
class Term:
    chinese: tuple[str, ...]  # "整改前 / 整改后" is one row with two words
    english: str
    never: tuple[str, ...]
    context: str


def _words(cell: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in re.split(r"[/,，、]", cell) if word.strip())


@cache
def terms() -> tuple[Term, ...]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 5 or cells[0] in ("中文", "") or set(cells[0]) <= {"-"}:
            continue
        chinese, english, _meaning, never, context = cells
        rows.append(Term(_words(chinese), english, _words(never), context.strip("`")))
    return tuple(rows)


def term(chinese: str) -> Term:
    """The glossary row that has this Chinese word; KeyError when the glossary lacks it."""
    for row in terms():
        if chinese in row.chinese:
            return row
    raise KeyError(chinese)


def violations(text: str, expected: list[str]) -> list[str]:
    """What is wrong with a page's text, given the glossary terms that belong on it."""
    problems = [f"missing {word}" for word in expected if word not in text]
    for word in expected:
        problems += [f"{bad} instead of {word}" for bad in term(word).never if bad in text]
    return problems
