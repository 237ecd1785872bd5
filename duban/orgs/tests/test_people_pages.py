"""The people list pages, and its search (htmx) swaps the rows with their pager, keeping the search."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from duban.core.testing import link_href
from duban.orgs.choices import RecordState
from duban.orgs.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(personas):
    Person.objects.bulk_create(Person(name=f"网格员{n:03d}") for n in range(62))
    Person.objects.bulk_create(Person(name=f"退休网格员{n}", state=RecordState.RETIRED) for n in range(3))


def test_the_people_list_pages_instead_of_stopping_at_200(client, personas, many):
    client.force_login(personas.office_admin)
    url = reverse("orgs:person_list")

    first = client.get(url, {"q": "网格员"})
    following = link_href(first.content.decode(), 'rel="next"', url)
    second = client.get(following)

    assert parse_qs(urlsplit(following).query) == {"q": ["网格员"], "page": ["2"]}
    names = [p.name for p in [*first.context["page"], *second.context["page"]]]
    assert len(first.context["page"]) == 50 and len(names) == 62 == len(set(names))
    assert not any(name.startswith("退休") for name in names)


def test_a_search_swaps_the_table_and_its_pager_and_keeps_showing_retired_people(client, personas, many):
    client.force_login(personas.office_admin)
    url = reverse("orgs:person_list")

    swapped = client.get(url, {"q": "退休", "retired": "1"}, headers={"HX-Request": "true"})
    html = swapped.content.decode()

    assert "<html" not in html and "<table" in html
    assert [p.name for p in swapped.context["page"]] == ["退休网格员0", "退休网格员1", "退休网格员2"]
    page = client.get(url, {"retired": "1"}).content.decode()
    assert 'hx-include="[name=retired]"' in page and 'name="retired" value="1"' in page
