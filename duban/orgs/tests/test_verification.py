import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from duban.orgs.choices import AccountType
from duban.orgs.models import User, VerificationCode
from duban.orgs.verification import verification_confirm, verification_request

pytestmark = pytest.mark.django_db

SENT: list[tuple[str, str]] = []
CLIENT = "198.51.100.20"


class RecordingSender:
    def send(self, destination: str, code: str) -> None:
        SENT.append((destination, code))


@pytest.fixture(autouse=True)
def recording_sender(settings):
    settings.DUBAN_CODE_SENDER = "duban.orgs.tests.test_verification.RecordingSender"
    SENT.clear()
    return SENT


def _request(destination, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        verification_request(destination=destination, client=CLIENT)
    return SENT[-1][1]


def test_a_code_signs_a_new_resident_up_and_later_back_in(django_capture_on_commit_callbacks):
    code = _request("138 0013 9000", django_capture_on_commit_callbacks)

    user = verification_confirm(destination="13800139000", code=code)

    assert user.account_type == AccountType.RESIDENT
    assert user.phone == "13800139000"
    assert user.phone_verified_at is not None
    assert user.is_verified_resident
    with pytest.raises(ValidationError):
        verification_confirm(destination="13800139000", code=code)  # used once only


def test_the_code_is_sent_only_after_commit_and_stored_hashed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        verification_request(destination="someone@example.org", client=CLIENT)
    assert SENT == []
    assert len(callbacks) == 1
    callbacks[0]()
    code = SENT[0][1]
    assert code not in VerificationCode.objects.get().code_hash


def test_five_wrong_codes_burn_the_code(django_capture_on_commit_callbacks):
    code = _request("13800139001", django_capture_on_commit_callbacks)
    for _ in range(5):
        with pytest.raises(ValidationError):
            verification_confirm(destination="13800139001", code="000000" if code != "000000" else "111111")

    with pytest.raises(ValidationError):
        verification_confirm(destination="13800139001", code=code)
    assert not User.objects.filter(phone="13800139001").exists()


def test_codes_cannot_be_requested_again_within_a_minute(django_capture_on_commit_callbacks):
    _request("13800139002", django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError, match="不足一分钟"):
        verification_request(destination="13800139002", client=CLIENT)
    assert VerificationCode.objects.filter(destination="13800139002").count() == 1


def test_a_code_never_opens_an_officials_account(personas, django_capture_on_commit_callbacks):
    User.objects.filter(pk=personas.unit_a_staff.pk).update(phone="13800139003")
    code = _request("13800139003", django_capture_on_commit_callbacks)

    with pytest.raises(ValidationError, match="工作人员账号"):
        verification_confirm(destination="13800139003", code=code)


def test_a_malformed_address_gets_a_chinese_error_on_the_page(client):
    response = client.post(reverse("resident_login"), {"step": "destination", "destination": "12345"})
    assert "请输入11位手机号码或电子邮箱地址。" in response.content.decode()
    assert VerificationCode.objects.count() == 0


def test_the_two_step_sign_in_page(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("resident_login"), {"step": "destination", "destination": "13800139004"})
    assert 'name="code"' in response.content.decode()
    code = SENT[-1][1]

    response = client.post(
        reverse("resident_login"),
        {"step": "code", "destination": "13800139004", "code": code, "next": "/org/"},
    )

    assert response.status_code == 302
    assert response.url == "/org/"
    assert int(client.session["_auth_user_id"]) == User.objects.get(phone="13800139004").pk


def test_an_outside_next_address_is_ignored(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("resident_login"), {"step": "destination", "destination": "13800139005"})
    response = client.post(
        reverse("resident_login"),
        {"step": "code", "destination": "13800139005", "code": SENT[-1][1], "next": "https://evil.example/"},
    )
    assert response.url == reverse("portal:landing")


def _ask(client, destination, **extra):
    return client.post(reverse("resident_login"), {"step": "destination", "destination": destination}, **extra)


def _from_this_connection() -> str:
    with translation.override("zh-hans"):
        return gettext("Too many codes were requested from this connection. Try again later.")


def test_one_connection_cannot_have_codes_sent_to_a_list_of_numbers(client, django_capture_on_commit_callbacks):
    numbers = [f"1390013{n:04d}" for n in range(10)]
    with django_capture_on_commit_callbacks(execute=True):
        pages = [_ask(client, number) for number in numbers]

    assert [destination for destination, _code in SENT] == numbers[:3]
    assert all(_from_this_connection() in page.content.decode() for page in pages[3:])
    assert VerificationCode.objects.count() == 3
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, "13900139999", REMOTE_ADDR="203.0.113.5")  # another connection is not held up
    assert SENT[-1][0] == "13900139999"


def test_a_connection_gets_ten_codes_an_hour(client, django_capture_on_commit_callbacks):
    start = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)
    for minute in range(5):
        with time_machine.travel(start + dt.timedelta(minutes=minute, seconds=1), tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                for n in range(3):
                    _ask(client, f"139002{minute:02d}{n:03d}")
    assert len(SENT) == 10


def test_behind_the_proxy_a_forged_forwarded_for_does_not_escape_the_limit(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(6):
            _ask(client, f"1390014{n:04d}", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 198.51.100.30")
    assert len(SENT) == 3
