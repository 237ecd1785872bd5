import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from duban.core.paginator import CappedPaginator, OnePassPaginator
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

    assert capped.is_capped and "1,000+" in html
    assert "1,205" not in html and "1205" not in html
    assert [p.name for p in capped.get_page(2)][0] == "人员50"


def test_one_page_has_no_pager_links():
    html = _render("q=x", Paginator([1, 2], 50).get_page(1))
    assert "href" not in html and "2" in html


@pytest.mark.django_db
def test_a_one_pass_page_counts_exactly_in_the_same_query_and_a_page_past_the_end_shows_the_last(
    django_assert_num_queries,
):
    Person.objects.bulk_create(Person(name=f"人员{n}") for n in range(120))
    people = Person.objects.filter(name__startswith="人员").order_by("id")
    one_pass = OnePassPaginator(people, 50)
    one_pass.cap = 100  # the count is exact however many match

    with django_assert_num_queries(2):  # the page's ids with the count, then its rows
        page = one_pass.get_page(2)
    assert one_pass.count == 120 and not one_pass.is_capped and "120" in _render("", page)
    assert [p.name for p in page] == [f"人员{n}" for n in range(50, 100)]

    last = OnePassPaginator(people, 50).get_page(9)
    assert last.number == 3 and [p.name for p in last] == [f"人员{n}" for n in range(100, 120)]
    assert OnePassPaginator(people, 50).get_page("x").number == 1
    nothing = OnePassPaginator(Person.objects.filter(name="无").order_by("id"), 50).get_page(1)
    assert nothing.paginator.count == 0 and list(nothing) == []
