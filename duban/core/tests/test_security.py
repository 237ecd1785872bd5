import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)


def _assert_no_inline_script(response):
    html = response.content.decode()
    assert INLINE_SCRIPT.findall(html) == []
    assert " on" + "click=" not in html
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_public_pages_carry_a_strict_content_security_policy(client, personas):
    for url in [reverse("portal:home"), reverse("login"), reverse("resident_login")]:
        response = client.get(url)
        assert response.status_code == 200
        _assert_no_inline_script(response)
        assert response.headers["X-Frame-Options"] == "DENY"


def test_staff_pages_have_no_inline_script(client, personas):
    client.force_login(personas.office_admin)
    for url in [
        reverse("orgs:unit_tree"),
        reverse("orgs:unit_detail", args=[personas.unit_a.pk]),
        reverse("orgs:unit_edit", args=[personas.unit_a.pk]),
        reverse("orgs:person_list"),
        reverse("orgs:portfolio_list"),
        reverse("orgs:portfolio_create"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_no_inline_script(response)


def test_repeated_wrong_passwords_lock_the_sign_in(client, personas):
    url = reverse("login")
    statuses = [client.post(url, {"username": "unit_a_staff", "password": "wrong"}).status_code for _ in range(5)]
    response = client.post(url, {"username": "unit_a_staff", "password": "persona-password-1"})

    assert statuses == [200, 200, 200, 200, 429]
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_right_password_signs_in_before_the_limit(client, personas):
    client.post(reverse("login"), {"username": "unit_a_staff", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "unit_a_staff", "password": "persona-password-1"})

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == personas.unit_a_staff.pk


def test_csrf_is_enforced_on_forms(personas):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(personas.office_admin)
    response = strict.post(reverse("orgs:unit_edit", args=[personas.unit_a.pk]), {"name": "改名"})

    assert response.status_code == 403
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.name == "东门街道"


def test_one_address_cannot_try_password_after_password_across_many_usernames(client, personas):
    """django-axes locks a username tried from one address; one address spraying a password over
    many usernames is stopped too, and the right password then does not get it in."""
    url = reverse("login")
    statuses = [client.post(url, {"username": f"staff{n}", "password": "Luohu2024"}).status_code for n in range(21)]
    response = client.post(url, {"username": "unit_a_staff", "password": "persona-password-1"})

    assert statuses == [200] * 20 + [429]
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    other = client.post(url, {"username": "unit_a_staff", "password": "persona-password-1"}, REMOTE_ADDR="203.0.113.8")
    assert other.status_code == 302


def test_behind_the_proxy_the_lock_is_the_clients_and_a_forged_hop_does_not_lift_it(client, personas, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    url = reverse("login")
    statuses = [
        client.post(
            url, {"username": "unit_a_staff", "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 198.51.100.9"
        ).status_code
        for n in range(6)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429]
    # Behind the proxy every request comes from its address; the lock is the client's, not everyone's.
    response = client.post(
        url, {"username": "unit_a_staff", "password": "persona-password-1"}, HTTP_X_FORWARDED_FOR="198.51.100.10"
    )
    assert response.status_code == 302


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_signed_in_pages_and_every_download_are_never_cached(client, personas):
    assert "no-store" not in _cache_control(client.get(reverse("portal:home")))
    public_download = client.get(reverse("portal:problem_stats_xlsx"))
    assert public_download.status_code == 200
    assert {"private", "no-store"} <= _cache_control(public_download)

    client.force_login(personas.office_admin)
    assert {"private", "no-store"} <= _cache_control(client.get(reverse("ledger:item_list")))
    export = client.get(reverse("ledger:item_export"))
    assert export.status_code == 200 and {"private", "no-store"} <= _cache_control(export)
