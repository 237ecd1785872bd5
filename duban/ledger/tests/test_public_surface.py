"""Other contexts use the ledger only through its public services (`duban.ledger.services.__all__`)."""

import ast
from pathlib import Path

import duban.ledger.services as services

ROOT = Path(__file__).resolve().parents[2]


def test_no_context_imports_a_private_or_unchecked_ledger_writer():
    offending = []
    for path in ROOT.rglob("*.py"):
        if path.is_relative_to(ROOT / "ledger"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("duban.ledger.services"):
                names = {alias.name for alias in node.names}
                if node.module != "duban.ledger.services" or names - set(services.__all__):
                    offending.append(f"{path.relative_to(ROOT)}: from {node.module} import {sorted(names)}")
    assert offending == []


def test_every_public_name_exists():
    assert all(hasattr(services, name) for name in services.__all__)
