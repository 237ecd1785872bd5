from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

NBSP = "\u00a0"


def _render(source: str, **context) -> str:
    return Template("{% load figures %}" + source).render(Context(context))


def test_money_reads_like_money_in_either_language():
    for language in ("zh-hans", "en"):
        with translation.override(language):
            shown = _render("{{ v|money }}", v=Decimal("9440000"))
            assert shown.startswith(f"9,440,000.00{NBSP}"), shown
    with translation.override("en"):
        assert _render("{{ v|money }}", v=Decimal("0.005")) == f"0.01{NBSP}yuan"  # rounded half up, no float
        assert _render("{{ v|money }}", v=1250000) == f"1,250,000.00{NBSP}yuan"
        assert _render("{{ v|money }}", v=None) == "—"


def test_thousands_are_grouped_even_where_the_locale_does_not():
    with translation.override("zh-hans"):
        assert _render("{{ n|thousands }}", n=22294) == "22,294"
        assert _render("{{ n|thousands }}", n=None) == "—"
