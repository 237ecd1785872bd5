"""A civil servant's first minutes, in a real Chromium: sign in, browse, switch language, be refused."""

import pytest
from django.urls import reverse

from duban.conftest import PASSWORD, build_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username):
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].btn-primary")
    page.wait_for_url(lambda url: reverse("login") not in url)  # on to their work


def test_staff_sign_in_browse_the_tree_and_open_a_unit(page, live_server):
    personas = build_personas()
    _sign_in(page, live_server, "unit_a_staff")

    page.click("nav.mainnav >> text=各项机制")  # the mechanisms and the organisation fold under one heading
    page.click("nav.mainnav >> text=组织架构")
    page.wait_for_selector("h1:has-text('组织架构')")
    page.click("a:has-text('东门街道')")

    assert page.locator("h1").inner_text().startswith("东门街道")
    assert page.locator("text=测试unit_a_head").count() == 1
    assert page.locator("text=副区长 测试区领导").count() == 1
    assert page.locator("a:has-text('城东社区')").count() == 1
    assert personas.unit_a.name == "东门街道"


def test_search_finds_a_unit_as_you_type(page, live_server):
    build_personas()
    _sign_in(page, live_server, "unit_a_staff")
    page.goto(live_server.url + reverse("orgs:unit_tree"))

    page.fill("input[name=q]", "桂园")

    page.wait_for_selector("#search-results a:has-text('桂园街道')")


def test_switching_the_language_to_english_and_back(page, live_server):
    build_personas()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("text=工作人员登录").count() >= 1

    page.click("button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("text=Staff sign-in").count() >= 1

    page.click("button[value=zh-hans]")
    page.wait_for_selector("html[lang=zh-hans]")


def test_editing_another_streets_unit_is_refused(page, live_server):
    personas = build_personas()
    _sign_in(page, live_server, "unit_b_staff")

    response = page.goto(live_server.url + reverse("orgs:unit_edit", args=[personas.unit_a.pk]))

    assert response.status == 403
    assert page.locator("h1").inner_text() == "您无权执行此操作"
    page.goto(live_server.url + reverse("orgs:unit_detail", args=[personas.unit_a.pk]))
    assert page.locator("a:has-text('编辑')").count() == 0


def test_a_form_error_is_shown_next_to_the_field(page, live_server):
    personas = build_personas()
    _sign_in(page, live_server, "unit_a_staff")
    page.goto(live_server.url + reverse("orgs:unit_edit", args=[personas.unit_a.pk]))

    page.fill("input[name=name]", "")
    page.click("button[type=submit].btn-primary")

    error = page.locator("input[name=name]").locator("xpath=..").locator(".errorlist")
    assert error.inner_text() == "此项为必填项。"
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.name == "东门街道"
