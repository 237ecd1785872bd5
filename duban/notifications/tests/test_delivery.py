"""Notices leave the building as each person chose: by mail at once or in a daily digest, by text
message or the work app, never in their quiet hours, tried again when a channel fails, each try
recorded, and never sent twice by two workers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from duban.ledger.models import Notification
from duban.ledger.services import notify
from duban.notifications import channels, services
from duban.notifications.choices import DeliveryState, EmailMode
from duban.notifications.models import Attempt, Delivery, Preference

pytestmark = pytest.mark.django_db


@pytest.fixture
def mailing(settings):
    settings.EMAIL_URL = "smtp://127.0.0.1:25"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DUBAN_SITE_URL = "https://duban.example.org"


@pytest.fixture
def staff(personas):
    user = personas.unit_a_staff
    user.email = "staff.a@luohu.example.org"
    user.save(update_fields=["email"])
    return user


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 12, day, hour, minute))


def _notice(user, text="东门街道：事项罗督〔2026〕1号已交办，请签收。", django_capture=None):
    with django_capture(execute=True):
        notify.after_commit([user], None, "ledger.test", text, link="/ledger/")
    return Notification.objects.filter(user=user).latest("pk")


def test_a_notice_goes_by_mail_at_once_by_default(mailing, staff, django_capture_on_commit_callbacks):
    notice = _notice(staff, django_capture=django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["staff.a@luohu.example.org"]
    assert "罗督〔2026〕1号" in mail.outbox[0].body and "https://duban.example.org/ledger/" in mail.outbox[0].body
    delivery = Delivery.objects.get(notification=notice)
    assert (delivery.channel, delivery.state, delivery.attempts) == ("email", DeliveryState.SENT, 1)
    assert [(a.ok, a.detail) for a in delivery.tries.all()] == [(True, "sent to s***@luohu.example.org")]


def test_without_a_mail_server_the_inbox_is_all(staff, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_URL = ""
    notice = _notice(staff, django_capture=django_capture_on_commit_callbacks)

    assert notice.text.startswith("东门街道") and not Delivery.objects.exists() and mail.outbox == []


def test_text_messages_go_to_the_persons_mobile_when_they_chose_them(
    staff, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_URL = ""
    services.preference_save(actor=staff, user=staff, data={"email": EmailMode.OFF, "sms": True})
    caplog.set_level("INFO", logger="duban.notifications.console")

    notice = _notice(staff, django_capture=django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get(notification=notice)
    assert (delivery.channel, delivery.state) == ("sms", DeliveryState.SENT)
    assert "[sms] to 1390000" in caplog.text and "罗督〔2026〕1号" in caplog.text


def test_a_failing_channel_is_tried_again_later_then_given_up_each_try_recorded(mailing, staff, monkeypatch):
    def refused(self, address, subject, text):
        raise channels.ChannelError("SMTPServerDisconnected: Connection unexpectedly closed")

    monkeypatch.setattr(channels.Email, "send", refused)
    start = _at(7, 10)
    with time_machine.travel(start, tick=False):
        notice = Notification.objects.create(user=staff, kind="t", text="请签收")
        ids = services.plan([notice])
        assert services.deliver(ids) == 0
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.QUEUED, 1)
    assert (
        delivery.due_at == start + dt.timedelta(seconds=60) and "Connection unexpectedly closed" in delivery.last_error
    )

    assert services.deliver_due(start + dt.timedelta(seconds=30)) == 0  # not yet due
    assert Delivery.objects.get().attempts == 1
    moment = start
    for _ in range(4):
        moment += dt.timedelta(hours=3)
        services.deliver_due(moment)

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, 5)
    assert Attempt.objects.filter(delivery=delivery, ok=False).count() == 5
    assert services.deliver_due(moment + dt.timedelta(days=1)) == 0 and delivery.tries.count() == 5


def test_two_workers_sending_the_same_deliveries_send_each_once(mailing, staff):
    notice = Notification.objects.create(user=staff, kind="t", text="请签收")
    ids = services.plan([notice])

    assert services.deliver(ids) + services.deliver(ids) == 1
    assert len(mail.outbox) == 1 and Attempt.objects.count() == 1


def test_quiet_hours_hold_a_notice_until_they_end(mailing, staff):
    services.preference_save(actor=staff, user=staff, data={"email": EmailMode.IMMEDIATE, "quiet_from": dt.time(22),
                                                            "quiet_until": dt.time(7, 30)})  # fmt: skip
    with time_machine.travel(_at(7, 23), tick=False):
        notice = Notification.objects.create(user=staff, kind="t", text="夜间交办")
        assert services.plan([notice]) == []
    delivery = Delivery.objects.get()
    assert timezone.localtime(delivery.due_at) == timezone.localtime(_at(8, 7, 30))

    assert services.deliver_due(_at(8, 6)) == 0 and mail.outbox == []
    assert services.deliver_due(_at(8, 7, 31)) == 1 and len(mail.outbox) == 1


def test_a_digest_collects_the_days_notices_into_one_mail_at_the_persons_hour(mailing, staff):
    services.preference_save(actor=staff, user=staff, data={"email": EmailMode.DIGEST, "digest_at": dt.time(8, 30)})
    notices = [Notification.objects.create(user=staff, kind="t", text=text) for text in ("第一条通知", "第二条通知")]
    assert services.plan(notices, now=_at(7, 16)) == []
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.WAITING}

    assert services.digests_send(_at(8, 8)) == 0
    assert services.digests_send(_at(8, 8, 31)) == 1
    assert services.digests_send(_at(8, 9)) == 0  # one a day

    assert len(mail.outbox) == 1 and "第一条通知" in mail.outbox[0].body and "第二条通知" in mail.outbox[0].body
    assert "2" in mail.outbox[0].subject
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}


def test_a_delivery_left_sending_by_a_stopped_worker_is_sent_again(mailing, staff, settings):
    settings.DUBAN_STALLED_AFTER_SECONDS = 300
    notice = Notification.objects.create(user=staff, kind="t", text="请签收")
    services.plan([notice], now=_at(7, 9))
    Delivery.objects.update(state=DeliveryState.SENDING, claimed_at=_at(7, 9), attempts=1)

    assert services.deliveries_recover(_at(7, 9, 3)) == 0
    assert services.deliveries_recover(_at(7, 9, 10)) == 1
    assert services.deliver_due(_at(7, 9, 10)) == 1

    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 2) and len(mail.outbox) == 1
    assert [a.ok for a in delivery.tries.all()] == [False, True]


def test_only_the_person_chooses_and_a_choice_that_cannot_work_is_refused(mailing, personas, staff):
    with pytest.raises(PermissionDenied):
        services.preference_save(actor=personas.office_admin, user=staff, data={"sms": True})
    staff.person.mobile = ""
    staff.person.save(update_fields=["mobile"])
    with pytest.raises(ValidationError) as refused:
        services.preference_save(actor=staff, user=staff, data={"email": EmailMode.IMMEDIATE, "sms": True,
                                                                "quiet_from": dt.time(22)})  # fmt: skip
    assert set(refused.value.error_dict) == {"sms", "quiet_until"}
    assert not Preference.objects.exists()
