import importlib.util
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "duban" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def _compiler():
    spec = importlib.util.spec_from_file_location("compile_messages", ROOT / "scripts" / "compile_messages.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_chinese_message_is_translated():
    with PO.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    untranslated = [m.id for m in catalog if m.id and (not m.string or not all(m.string) or m.fuzzy)]
    assert untranslated == []


def test_the_committed_mo_file_matches_the_po_file():
    assert PO.with_suffix(".mo").read_bytes() == _compiler().compiled(PO), "run `make messages`"
