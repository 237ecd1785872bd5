"""A refused step answers 403 with the reason the service gave, logged as one line."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from duban.ledger.choices import ItemState
from duban.ledger.services.transitions import item_transition

pytestmark = pytest.mark.django_db

REVIEW_REASON = "审核和销号须由责任单位以外的督查人员办理。"  # the service's refusal, in Chinese


@pytest.fixture
def submitted(personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge")
    return item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="已完成整改。")


def _refusal_lines(caplog):
    loggers = {"duban.refusals", "django.request"}
    return [r for r in caplog.records if r.levelno >= logging.WARNING and r.name in loggers]


@pytest.mark.parametrize("opinion", ["同意办结。", ""])
def test_reviewing_ones_own_item_is_refused_with_the_services_reason(client, personas, submitted, caplog, opinion):
    client.force_login(personas.unit_a_staff)

    with caplog.at_level(logging.INFO):
        response = client.post(reverse("ledger:item_act", args=[submitted.pk, "accept"]), {"reason": opinion})

    assert response.status_code == 403
    assert REVIEW_REASON in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == ItemState.SUBMITTED
    [line] = _refusal_lines(caplog)
    assert line.name == "duban.refusals"
    assert line.exc_info is None
    message = line.getMessage()
    assert reverse("ledger:item_act", args=[submitted.pk, "accept"]) in message
    assert "unit_a_staff" in message
    assert REVIEW_REASON in message
    assert "Traceback" not in caplog.text


def test_a_refused_page_names_the_reason_in_english_too(client, personas):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(personas.unit_b_staff)

    try:
        response = client.get(reverse("orgs:unit_edit", args=[personas.unit_a.pk]))
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the middleware left English on this thread

    assert response.status_code == 403
    assert "You may change only your own unit and the units below it." in response.content.decode()


def test_a_refusal_without_a_reason_still_explains_and_logs_one_line(client, personas, caplog):
    client.force_login(personas.resident)

    with caplog.at_level(logging.INFO):
        response = client.get(reverse("ledger:item_list"))

    assert response.status_code == 403
    assert "您无权执行此操作" in response.content.decode()
    [line] = _refusal_lines(caplog)
    assert "user=" in line.getMessage() and line.exc_info is None


def test_the_api_logs_a_refusal_as_one_line_with_its_reason(client, personas, submitted, caplog):
    client.force_login(personas.unit_a_staff)

    with caplog.at_level(logging.INFO):
        url = f"/api/ledger/items/{submitted.pk}/transitions"
        response = client.post(url, {"action": "accept", "reason": "同意。"}, "application/json")

    assert response.status_code == 403, response.content
    assert REVIEW_REASON in response.json()["detail"]
    [line] = _refusal_lines(caplog)
    assert REVIEW_REASON in line.getMessage() and line.exc_info is None
