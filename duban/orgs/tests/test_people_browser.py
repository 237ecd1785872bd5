"""Searching people in Chromium: the rows and their pager follow the search, and so does the address."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from duban.conftest import sign_in
from duban.orgs.models import Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_search_pages_its_results_and_the_next_page_keeps_the_search(page, live_server, personas):
    Person.objects.bulk_create(Person(name=f"网格员{n:03d}") for n in range(60))
    Person.objects.bulk_create(Person(name=f"楼栋长{n}") for n in range(5))
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("orgs:person_list"))

    page.fill("input[name=q]", "网格员")
    expect(page).to_have_url(re.compile(r"\?q=%E7%BD%91"))
    expect(page.locator("#people .pager-count")).to_have_text(re.compile("60"))
    expect(page.locator("#people tbody tr")).to_have_count(50)
    page.click("#people a[rel=next]")
    expect(page.locator("#people tbody tr")).to_have_count(10)
    names = page.locator("#people tbody tr td:first-child").all_inner_texts()
    assert names[0] == "网格员050" and all(name.startswith("网格员") for name in names)
