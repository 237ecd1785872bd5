"""The unit and people pickers without JavaScript (a plain select in tree order) and the people
search they ask (officials only, never a phone number); required fields are marked."""

import re

import pytest
from django import forms
from django.urls import reverse

from duban.orgs.models import Person, Position, Unit
from duban.orgs.pickers import UnitPicker, UnitsPicker

pytestmark = pytest.mark.django_db


def _options(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", option) for option in re.findall(r"<option[^>]*>.*?</option>", html)]


def test_units_are_offered_as_the_tree_with_departments_apart(personas):
    field = forms.ModelChoiceField(queryset=Unit.objects.active(), widget=UnitPicker)

    html = field.widget.render("unit", personas.unit_a_community.pk)

    assert _options(html) == [
        "---------",
        "罗湖区",
        "东门街道",
        "　城东社区",
        "桂园街道",
        "区委深改委",
        "　区委改革办",
        "区纪委监委",
        "鹏城公共政策评估中心",
    ]
    groups = re.findall(r'<optgroup label="([^"]+)">', html)
    assert groups == ["街道", "党委机构、委员会及办公室", "外部机构"]
    assert re.search(rf'<option value="{personas.unit_a_community.pk}"[^>]*selected', html)
    assert html.count(" selected") == 1
    assert 'data-picker="units"' in html


def test_a_unit_below_one_not_offered_hangs_below_its_nearest_offered_ancestor(personas):
    offered = Unit.objects.filter(pk__in=[personas.district.pk, personas.unit_a_community.pk])
    field = forms.ModelChoiceField(queryset=offered, widget=UnitPicker, required=False)

    assert _options(field.widget.render("unit", None)) == ["---------", "罗湖区", "城东社区"]


def test_co_units_are_a_multiple_choice_that_works_without_javascript(client, personas):
    field = forms.ModelMultipleChoiceField(queryset=Unit.objects.active(), widget=UnitsPicker, required=False)

    class Form(forms.Form):
        co_units = field

    bound = Form({"co_units": [personas.unit_a.pk, personas.unit_b.pk]})
    assert bound.is_valid()
    assert set(bound.cleaned_data["co_units"]) == {personas.unit_a, personas.unit_b}
    html = str(bound["co_units"])
    assert "multiple" in html and html.count(" selected") == 2
    empty = Form({})
    assert empty.is_valid() and list(empty.cleaned_data["co_units"]) == []


def test_a_person_is_posted_through_the_plain_select(client, personas):
    newcomer = Person.objects.create(name="测试新人", mobile="13912345678")
    client.force_login(personas.unit_a_staff)
    url = reverse("orgs:position_add", args=[personas.unit_a_community.pk])

    html = client.get(url).content.decode()
    assert f'<option value="{newcomer.pk}">测试新人</option>' in html
    assert "13912345678" not in html
    response = client.post(url, {"person": newcomer.pk, "role": "staff", "title": "科员", "started_on": "2024-06-03"})

    assert response.status_code == 302
    assert Position.objects.current().filter(person=newcomer, unit=personas.unit_a_community).exists()


@pytest.mark.parametrize("persona", ["unit_a_staff", "office_admin", "supervisor", "district_leader"])
def test_officials_search_people_by_name_without_their_phone(client, personas, persona):
    client.force_login(getattr(personas, persona))

    response = client.get(reverse("orgs:person_search"), {"q": "unit_a"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "测试unit_a_staff" in html and "测试unit_a_head" in html
    assert "东门街道" in html  # the post tells namesakes apart
    assert "测试unit_b_staff" not in html
    for person in Person.objects.exclude(mobile=""):
        assert person.mobile not in html
    assert "@" not in html
    assert f'data-value="{personas.unit_a_staff.person.pk}"' in html


@pytest.mark.parametrize("persona", ["resident", "expert", "anonymous"])
def test_residents_experts_and_visitors_get_nothing_from_the_people_search(client, personas, persona):
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))

    response = client.get(reverse("orgs:person_search"), {"q": "测试"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 403
    assert "测试unit_a_staff" not in response.content.decode()


def test_the_leaders_search_offers_only_district_leaders(client, personas):
    """Not everyone without a portfolio, as a filter on portfolios__ended_on__isnull would."""
    client.force_login(personas.office_admin)

    html = client.get(reverse("orgs:person_search"), {"scope": "leaders", "q": ""}).content.decode()

    assert "测试区领导" in html and "副区长" in html
    assert "测试unit_a_staff" not in html


def test_required_fields_have_an_asterisk_and_aria_required(client, personas):
    client.force_login(personas.unit_a_staff)

    html = client.get(reverse("orgs:unit_edit", args=[personas.unit_a.pk])).content.decode()

    name_label = re.search(r'<label for="id_name">.*?</label>', html).group(0)
    assert 'class="required-mark"' in name_label
    assert re.search(r'<input[^>]*name="name"[^>]*aria-required="true"', html)
    short_label = re.search(r'<label for="id_short_name">.*?</label>', html).group(0)
    assert "required-mark" not in short_label
    assert not re.search(r'<input[^>]*name="short_name"[^>]*aria-required', html)
