import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from duban.core.paginator import CappedPaginator
from duban.orgs.models import Person

PAGER = Template("{% load pagination %}{% pager page %}")


def _render(query: str, page) -> str:
    request = RequestFactory().get(f"/list/?{query}")
    return PAGER.render(Context({"request": request, "page": page}))


def test_page_links_keep_every_filter_including_repeated_ones_and_change_only_the_page():
    page = Paginator(list(range(120)), 50).get_page(2)

    html = _render("state=open&unit=3&unit=4&page=2&q=%E8%B7%AF", page)

    assert 'href="?state=open&amp;unit=3&amp;unit=4&amp;q=%E8%B7%AF&amp;page=1"' in html
    assert 'href="?state=open&amp;unit=3&amp;unit=4&amp;q=%E8%B7%AF&amp;page=3"' in html
    assert "120" in html and html.count("href=") == 2


@pytest.mark.django_db
def test_a_list_past_the_cap_says_so_instead_of_counting():
    Person.objects.bulk_create(Person(name=f"人员{n}") for n in range(1205))
    capped = CappedPaginator(Person.objects.order_by("id"), 50)
    capped.cap = 1000

    html = _render("", capped.get_page(2))

    assert capped.is_capped and "1,000" in html and "1,001" not in html
    assert "1,205" not in html and "1205" not in html
    assert [p.name for p in capped.get_page(2)][0] == "人员50"
    last = capped.get_page(21)  # the row past the cap, counted to know there are more, is not a page
    assert last.number == 20 and not last.has_next() and len(last) == 50
    assert "仅显示前1,000条" in _render("", last)  # only the first 1,000 are shown: narrow the filters


def test_one_page_has_no_pager_links():
    html = _render("q=x", Paginator([1, 2], 50).get_page(1))
    assert "href" not in html and "2" in html


@pytest.mark.django_db
def test_a_walked_list_says_its_total_only_once_a_page_reaches_the_end():
    people = Person.objects.bulk_create(Person(name=f"人员{n}") for n in range(120))
    ids = [person.pk for person in people]
    walked = []

    def walk(*, offset: int, limit: int) -> list:
        walked.append((offset, limit))
        return ids[offset : offset + limit]

    def page(number, cap=200):
        return CappedPaginator(Person.objects.order_by("id"), 50, cap=cap, walk=walk).get_page(number)

    first = page(1)
    assert [p.pk for p in first] == ids[:50] and first.has_next() and not first.has_previous()
    assert first.paginator.is_capped and first.paginator.floor == 50 and "50" in _render("", first)
    assert walked == [(0, 51)]  # one row past the page tells whether another follows

    last = page(3)
    assert [p.pk for p in last] == ids[100:] and not last.has_next()
    assert not last.paginator.is_capped and last.paginator.count == 120 and "120" in _render("", last)

    assert page(9).number == 1  # past the walk's end: the first page, not an empty one
    beyond_cap = page(2, cap=100)
    assert not beyond_cap.has_next() and beyond_cap.paginator.is_capped and beyond_cap.paginator.floor == 100
    assert page("x").number == 1
