"""A person's notification page: their own choices and their own deliveries only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from duban.ledger.models import Notification
from duban.notifications import services
from duban.notifications.models import Delivery, Preference

pytestmark = pytest.mark.django_db
URL = "/notifications/"


def test_the_page_is_reached_from_ones_name_and_anonymous_is_sent_to_sign_in(client, personas):
    assert client.get(URL).status_code == 302
    client.force_login(personas.unit_a_staff)
    home = client.get(reverse("ledger:item_list")).content.decode()
    page = client.get(URL)
    assert page.status_code == 200 and f'href="{URL}"' in home


@pytest.mark.parametrize("who", ["office_admin", "unit_a_staff", "unit_b_staff", "supervisor", "expert", "resident"])
def test_each_persona_saves_their_own_choice(client, personas, settings, who):
    settings.EMAIL_URL = ""
    user = getattr(personas, who)
    client.force_login(user)
    data = {"email": "immediate", "digest_at": "08:30", "workapp": "on", "quiet_from": "22:00", "quiet_until": "07:00"}
    response = client.post(URL, data)
    assert response.status_code == 302
    saved = Preference.objects.get(user=user)
    assert (str(saved.quiet_from), str(saved.quiet_until)) == ("22:00:00", "07:00:00")
    # the work app needs a mobile number: without one its box is disabled, and stays off
    assert saved.workapp == bool(user.phone or getattr(getattr(user, "person", None), "mobile", ""))


def test_a_choice_that_cannot_work_is_refused_in_chinese_and_nothing_is_saved(client, personas, settings):
    settings.EMAIL_URL = ""
    user = personas.unit_b_staff
    user.person.mobile = ""
    user.person.save(update_fields=["mobile"])
    client.force_login(user)

    response = client.post(URL, {"email": "immediate", "digest_at": "08:30", "sms": "on", "quiet_from": "22:00"})

    text = response.content.decode()
    assert response.status_code == 400 and "未保存" in text and "手机号码" in text and "免打扰" in text
    assert not Preference.objects.exists()


def test_a_person_sees_only_their_own_deliveries(client, personas, settings):
    settings.EMAIL_URL = ""
    for user, text in ((personas.unit_a_staff, "甲单位的通知"), (personas.unit_b_staff, "乙单位的通知")):
        services.preference_save(actor=user, user=user, data={"email": "off", "sms": True})
        services.plan([Notification.objects.create(user=user, kind="t", text=text)])
    assert Delivery.objects.count() == 2
    client.force_login(personas.unit_a_staff)

    text = client.get(URL).content.decode()

    assert "甲单位的通知" in text and "乙单位的通知" not in text
