"""What every visitor meets first: the home page's ways in (report a problem, the map, my reports),
the sign-in pages named after the platform, no error on a form before it is sent, the favicon."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.contrib.staticfiles import finders
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from duban.campaigns.tests.conftest import world  # noqa: F401 - the mapped district with a campaign

pytestmark = pytest.mark.django_db

HOST = "duban.example.org"
SITE_NAME = "罗湖区督办平台"
# What Django shows when a bound form is empty: never before the visitor has sent anything.
ERROR_SIGNS = ("errorlist", "此字段是必填项", "This field is required")


@pytest.fixture
def settings_host(settings):
    settings.ALLOWED_HOSTS = [HOST]
    return HOST


def _links(html: str, *names: str) -> set[str]:
    return {reverse(name) for name in names if f'href="{reverse(name)}' in html}


class TestHome:
    def test_the_home_page_leads_to_reporting_the_map_and_my_reports(self, client):
        html = client.get(reverse("portal:home")).content.decode()
        entries = re.search(r'<nav class="entry-points".*?</nav>', html, re.S).group(0)
        wanted = ("portal:problem_new", "portal:problems", "portal:my_problems")
        assert _links(entries, *wanted) == {reverse(name) for name in wanted}
        assert "反映问题" in entries and "我的报告" in entries

    def test_my_reports_sends_a_visitor_to_the_residents_sign_in(self, client):
        response = client.get(reverse("portal:my_problems"))
        assert response.status_code == 302
        assert urlsplit(response["Location"]).path == reverse("resident_login")


class TestSignIn:
    def test_the_staff_sign_in_carries_the_platforms_name_not_the_host(self, client, settings_host):
        html = client.get(reverse("login"), HTTP_HOST=HOST).content.decode()
        title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
        assert SITE_NAME in title and HOST not in html

    def test_the_resident_sign_in_shows_no_error_before_anything_is_sent(self, client):
        html = client.get(reverse("resident_login")).content.decode()
        assert 'name="destination"' in html
        assert not [sign for sign in ERROR_SIGNS if sign in html]

    def test_a_sent_empty_form_still_says_what_is_missing(self, client):
        html = client.post(reverse("resident_login"), {"step": "destination", "destination": ""}).content.decode()
        assert "errorlist" in html


class TestFavicon:
    def test_every_page_names_the_svg_icon_and_favicon_ico_leads_to_it(self, client):
        html = client.get(reverse("portal:home")).content.decode()
        icon = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">', html).group(1)
        assert icon.endswith("duban/favicon.svg")
        svg = open(finders.find("duban/favicon.svg"), encoding="utf-8").read()
        assert svg.startswith("<svg") and "督" in svg
        response = client.get("/favicon.ico")
        assert response.status_code == 302 and response["Location"] == icon
        assert client.get(reverse("login")).content.decode().count('rel="icon"') == 1


def _plain_paths(patterns, prefix: str = "") -> list[str]:
    """Every path of the URL tree that takes no parameter (the admin and the JSON API aside)."""
    paths = []
    for entry in patterns:
        route = str(entry.pattern)
        if getattr(entry.pattern, "converters", None) or "(" in route or route.startswith(("django-admin", "api/")):
            continue
        if isinstance(entry, URLResolver):
            paths += _plain_paths(entry.url_patterns, prefix + route)
        elif isinstance(entry, URLPattern):
            paths.append("/" + prefix + route.lstrip("^").rstrip("$"))
    return paths


SKIPPED = re.compile(r"(^/(django-admin|api)/|logout|i18n/|\.(xlsx|docx|json|csv|ico)$)")


@pytest.mark.parametrize("who", ["anonymous", "resident", "office_admin"])
def test_no_page_shows_a_form_error_before_the_form_is_sent(client, personas, world, who):  # noqa: F811
    """Every page reachable from the pages without parameters, as a visitor, a resident and the
    office: a form shown for the first time carries no error."""
    if who != "anonymous":
        client.force_login(getattr(personas, who))
    queue = [path for path in _plain_paths(get_resolver().url_patterns) if not SKIPPED.search(path)]
    seen, shapes, shown_errors = set(), Counter(), []
    while queue and len(seen) < 300:
        path = queue.pop(0)
        shape = re.sub(r"\d+", "N", path)  # two pages of each kind are enough
        if path in seen or shapes[shape] >= 2:
            continue
        seen.add(path)
        shapes[shape] += 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        if "<form" in html and any(sign in html for sign in ERROR_SIGNS):
            shown_errors.append(path)
        for link in re.findall(r'href="(/[^"#?]*)"', html):
            if link not in seen and not SKIPPED.search(link) and not link.startswith(("/static/", "/media/")):
                queue.append(link)
    assert len(seen) > 20
    assert shown_errors == []
