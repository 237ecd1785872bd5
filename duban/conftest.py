"""Fixtures shared by every context's tests: fixed personas and a real Chromium."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.utils import translation

from duban.orgs import services
from duban.orgs.choices import AccountType, LeaderRank, PositionRole, UnitKind
from duban.orgs.models import Person, Unit, User
from duban.orgs.verification import resident_account_verified

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "persona-password-1"  # noqa: S105 - test personas only


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests render pages without `collectstatic`, so static URLs come from the finders.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A request leaves its language active on the thread (as Django's LocaleMiddleware does); every
    # test starts in the default language whatever the test before it asked for.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Every test starts with no rate-limit counters. A test in a transaction rolls its cache rows
    back; a transactional test's flush leaves the cache table alone, so it is emptied here."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        from django.core.cache import cache

        from duban.core.cache import DatabaseCache

        request.getfixturevalue("transactional_db")
        if isinstance(cache, DatabaseCache):
            cache.clear()


@pytest.fixture(autouse=True)
def _own_var_dir(settings, tmp_path):
    """Each test its own var/ folder (job progress on SQLite is kept there, by job number) and file store."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _postgres_only(request):
    """Tests marked `postgres` need real concurrency; they run in the PostgreSQL pass of `make test`."""
    if request.node.get_closest_marker("postgres"):
        from django.db import connection

        if connection.vendor != "postgresql":
            pytest.skip("needs PostgreSQL (set DATABASE_URL)")


@pytest.fixture(params=[200, 1], ids=["few", "walked"])
def search_common(request, monkeypatch) -> int:
    """`search.COMMON` for a search test run twice: with few matches, found through the index; with
    more than COMMON, found by walking the list's order (PostgreSQL: SQLite tests every row)."""
    from django.db import connection

    from duban.core import search

    if request.param == 1 and connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite tests every row and never walks")
    monkeypatch.setattr(search, "COMMON", request.param)
    return request.param


@dataclass
class Personas:
    """A small district with the fixed personas every permission test uses.

    Unit A is 东门街道 (with 城东社区 below it), unit B is 桂园街道. The expert is a researcher
    posted at the third-party evaluator (an external body), as in the demo.
    """

    district: Unit
    unit_a: Unit
    unit_a_community: Unit
    unit_b: Unit
    reform_office: Unit
    discipline: Unit
    evaluator: Unit
    office_admin: User
    district_leader: User
    unit_a_head: User
    unit_a_staff: User
    unit_b_staff: User
    supervisor: User
    expert: User
    resident: User
    other_resident: User
    anonymous: None = None


def _official(unit: Unit, username: str, role: str = PositionRole.STAFF, **flags) -> User:
    person = services.person_create(actor=None, name=f"测试{username}", mobile=f"1390000{len(username):04d}")
    services.position_assign(actor=None, person=person, unit=unit, role=role, title="科员")
    return services.official_account_create(actor=None, person=person, username=username, password=PASSWORD, **flags)


def build_personas() -> Personas:
    district = services.unit_create(actor=None, parent=None, name="罗湖区", kind=UnitKind.DISTRICT, code="440303")
    unit_a = services.unit_create(actor=None, parent=district, name="东门街道", kind=UnitKind.STREET, code="440303003")
    unit_a_community = services.unit_create(actor=None, parent=unit_a, name="城东社区", kind=UnitKind.COMMUNITY)
    unit_b = services.unit_create(actor=None, parent=district, name="桂园街道", kind=UnitKind.STREET, code="440303001")
    commission = services.unit_create(actor=None, parent=district, name="区委深改委", kind=UnitKind.COMMISSION)
    reform_office = services.unit_create(actor=None, parent=commission, name="区委改革办", kind=UnitKind.COMMISSION)
    discipline = services.unit_create(actor=None, parent=district, name="区纪委监委", kind=UnitKind.COMMISSION)
    evaluator = services.unit_create(actor=None, parent=None, name="鹏城公共政策评估中心", kind=UnitKind.EXTERNAL)
    leader_person = services.person_create(actor=None, name="测试区领导")
    services.portfolio_create(
        actor=None, leader=leader_person, title="副区长", rank=LeaderRank.IN_CHARGE, units=[unit_a]
    )
    leader = services.official_account_create(actor=None, person=leader_person, username="leader", password=PASSWORD)
    # The demo's expert is a researcher at the third-party evaluator: a posting at an external body.
    expert_person = services.person_create(actor=None, name="测试专家", mobile="13900009999")
    services.position_assign(actor=None, person=expert_person, unit=evaluator, role=PositionRole.STAFF, title="研究员")
    expert = services.official_account_create(
        actor=None,
        person=expert_person,
        username="expert",
        password=PASSWORD,
        is_expert=True,
        account_type=AccountType.EXTERNAL,
    )
    return Personas(
        district=district,
        unit_a=unit_a,
        unit_a_community=unit_a_community,
        unit_b=unit_b,
        reform_office=reform_office,
        discipline=discipline,
        evaluator=evaluator,
        office_admin=_official(reform_office, "office_admin", is_office_admin=True),
        district_leader=leader,
        unit_a_head=_official(unit_a, "unit_a_head", role=PositionRole.HEAD),
        unit_a_staff=_official(unit_a, "unit_a_staff"),
        unit_b_staff=_official(unit_b, "unit_b_staff"),
        supervisor=_official(discipline, "supervisor", is_supervisor=True),
        expert=expert,
        resident=resident_account_verified(destination="13800138000"),
        other_resident=resident_account_verified(destination="resident2@example.org"),
    )


@pytest.fixture
def personas(db) -> Personas:
    return build_personas()


def fresh(user: User) -> User:
    """Reload a user so cached roles are recomputed."""
    return User.objects.get(pk=user.pk)


def person_named(name: str) -> Person:
    return Person.objects.get(name=name)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("DUBAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"DUBAN_REQUIRE_BROWSER=1 but {CHROMIUM} is missing (apt-get install chromium).")
        pytest.skip(f"{CHROMIUM} is missing; browser tests need Debian's chromium package.")
    # Playwright's sync API runs an event loop in this thread; the test's ORM calls are synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


def sign_in(page, live_server, user) -> None:
    """Sign a browser in as `user` with the session cookie Django would set (residents sign in by a
    code sent to their phone, which a test cannot read)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])


def pick(page, name: str, text: str, *, within: str = "") -> None:
    """Choose in a unit or people picker as a user does: type part of the name, press Enter."""
    box = page.locator(f"{within} .picker:has(+ select[name={name}]) .picker-input".strip())
    box.click()
    page.keyboard.type(text)
    page.locator(f"#{box.get_attribute('aria-controls')} [role=option]:visible", has_text=text).first.click()


@pytest.fixture
def page(browser, live_server):
    # An English-speaking browser: the site must still open in Chinese until the user switches.
    context = browser.new_context(locale="en-US", timezone_id="Asia/Shanghai")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
