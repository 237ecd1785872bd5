"""The maps in Chromium without tiles: the district's streets and communities are drawn, a click
inside a street names it in the address, the marker needs no image, and no request fails."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from duban.campaigns.models import Report
from duban.campaigns.tests.conftest import GUIYUAN, submit_report
from duban.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _watch(page) -> tuple[list[str], list[str]]:
    """Requests that failed or answered an error, and every image requested."""
    failed, images = [], []
    page.on("requestfailed", lambda request: failed.append(f"{request.url} {request.failure}"))
    page.on(
        "response",
        lambda response: failed.append(f"{response.url} {response.status}") if response.status >= 400 else None,
    )
    page.on("request", lambda request: images.append(request.url) if request.resource_type == "image" else None)
    return failed, images


def _click_at(page, street: str, dx: int = 4, dy: int = 4) -> None:
    """Click the map a few pixels from a street's centre (where its name is written)."""
    box = page.locator(".map-label-street", has_text=street).bounding_box()
    page.mouse.click(box["x"] + dx, box["y"] + dy)


def test_without_tiles_the_form_draws_the_streets_and_a_click_names_the_place(page, live_server, world, personas):
    failed, images = _watch(page)
    page.goto(live_server.url + reverse("portal:problem_new"))
    page.wait_for_selector(".leaflet-container.map-no-tiles")
    assert page.locator("path.map-district").count() == 1
    assert page.locator("path.map-street").count() == 2
    assert page.locator("path.map-community").count() == 1
    assert sorted(page.locator(".map-label-street").all_inner_texts()) == ["东门街道", "桂园街道"]
    address = page.locator("input[name=address]")

    _click_at(page, "桂园街道")
    expect(address).to_have_value("桂园街道")
    expect(page.locator("[data-picked]")).to_have_text("桂园街道")
    expect(page.locator(".map-pin svg")).to_be_visible()

    # Another click replaces what the map wrote, with the community too.
    _click_at(page, "东门街道")
    expect(address).to_have_value("东门街道城东社区")

    # What the resident writes is theirs: a click names the place beside it, not over it.
    address.fill("东门步行街北口")
    _click_at(page, "桂园街道")
    expect(page.locator("[data-picked]")).to_have_text("桂园街道")
    expect(address).to_have_value("东门步行街北口")
    _click_at(page, "东门街道")
    expect(page.locator("[data-picked]")).to_have_text("东门街道城东社区")

    page.select_option("select[name=category]", label=f"{world.campaign.name} · 非机动车乱停放")
    page.fill("textarea[name=description]", "共享单车堆在盲道上")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("text=感谢您的报告")
    report = Report.objects.get()
    assert report.street == personas.unit_a and report.area == personas.unit_a_community
    assert report.address == "东门步行街北口"
    assert not [url for url in images if "/vendor/leaflet/" in url], "the marker is drawn, not an image"
    assert failed == []


def test_the_map_report_and_areas_pages_draw_without_tiles_and_nothing_fails(page, live_server, world, personas):
    report = submit_report(world, personas, at=GUIYUAN, photos=[])
    failed, _images = _watch(page)
    page.goto(live_server.url + reverse("portal:problems"))
    page.wait_for_selector(".leaflet-container.map-no-tiles")
    expect(page.locator("[data-map-count]")).to_have_text("1")
    assert page.locator("path.map-street").count() == 2
    assert page.locator("path.leaflet-interactive").count() == 1  # the report's point
    page.goto(live_server.url + reverse("portal:problem_detail", args=[report.pk]))
    page.wait_for_selector(".leaflet-container.map-no-tiles")
    assert page.locator("path.map-street").count() == 2
    page.goto(live_server.url + "/favicon.ico")
    # The office sees the areas as residents do.
    sign_in(page, live_server, personas.office_admin)
    page.goto(live_server.url + reverse("campaigns:areas"))
    page.wait_for_selector(".leaflet-container.map-no-tiles")
    assert page.locator("path.map-street").count() == 2
    assert failed == []
