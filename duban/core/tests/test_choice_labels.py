"""`get_FOO_display()` reads a field's choices from a dictionary built once (`core.models.ChoiceLabels`):
it still says the label in the language of the request, and a value outside the choices as it is."""

from django.utils import translation

from duban.rules.models import Rule


def test_a_choice_is_shown_in_the_language_of_the_moment_and_an_unknown_value_as_stored():
    rule = Rule(kind="measures", status="in_force")
    with translation.override("zh-hans"):
        assert (rule.get_kind_display(), rule.get_status_display()) == ("办法", "现行有效")
    with translation.override("en"):
        assert (rule.get_kind_display(), rule.get_status_display()) == ("Measures", "In force")
    assert Rule(kind="not-a-kind").get_kind_display() == "not-a-kind"
