import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from duban.core.workdays import on_day
from duban.ledger.choices import ItemState
from duban.ledger.models import Attachment, Item, ItemEvent, Notice
from duban.ledger.services.items import item_create
from duban.ledger.services.transitions import item_transition
from duban.ledger.tests.conftest import END_OF_JUNE, MONDAY

pytestmark = pytest.mark.django_db


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("office_admin", 200),
        ("supervisor", 200),
        ("unit_a_head", 200),
        ("unit_a_staff", 200),
        ("district_leader", 200),
        ("unit_b_staff", 404),
        ("expert", 403),
        ("resident", 403),
    ],
)
def test_who_sees_an_item_page(client, personas, make_item, persona, status):
    item = make_item()
    assert _get(client, getattr(personas, persona), reverse("ledger:item_detail", args=[item.pk])).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, personas, make_item):
    item = make_item()
    response = client.get(reverse("ledger:item_detail", args=[item.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_list_filters_by_state_and_overdue_and_shows_only_visible_items(client, personas, make_item):
    mine = make_item(title="东门任务")
    make_item(title="桂园任务", lead_unit=personas.unit_b)
    late = make_item(title="东门逾期任务", deadline=dt.date(2024, 6, 5))

    html = _get(client, personas.unit_a_staff, reverse("ledger:item_list")).content.decode()
    assert "东门任务" in html and "桂园任务" not in html

    with time_machine.travel(on_day(dt.date(2024, 6, 10)), tick=False):
        html = client.get(reverse("ledger:item_list"), {"overdue": "on"}).content.decode()
    assert late.title in html and f">{mine.number}<" not in html

    html = client.get(reverse("ledger:item_list"), {"state": "draft"}).content.decode()
    assert "东门任务" not in html


def test_the_list_runs_a_fixed_number_of_queries_whatever_the_page_size(
    client, personas, make_item, django_assert_max_num_queries
):
    for n in range(12):
        make_item(title=f"任务{n}")
    client.force_login(personas.office_admin)
    serial = 3 if connection.vendor == "postgresql" else 0  # savepoint, SET LOCAL, release (core.paginator.serial)
    with django_assert_max_num_queries(16 + serial):
        response = client.get(reverse("ledger:item_list"), {"state": "assigned"})
    assert response.content.decode().count('<td class="nowrap"><a href') == 12


def test_the_unit_acknowledges_and_submits_with_evidence_from_the_page(client, personas, make_item):
    item = make_item()
    client.force_login(personas.unit_a_staff)

    client.post(reverse("ledger:item_act", args=[item.pk, "acknowledge"]))
    from django.core.files.uploadedfile import SimpleUploadedFile

    evidence = SimpleUploadedFile("整改照片.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    response = client.post(
        reverse("ledger:item_act", args=[item.pk, "submit"]), {"reason": "已全部整改到位", "files": [evidence]}
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    attachment = Attachment.objects.get()
    assert attachment.report.is_completion
    download = client.get(reverse("ledger:attachment_download", args=[attachment.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 evidence"
    client.force_login(personas.unit_b_staff)
    assert client.get(reverse("ledger:attachment_download", args=[attachment.pk])).status_code == 404


def test_a_refused_step_from_the_page_shows_why_and_changes_nothing(client, personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(MONDAY))
    events = ItemEvent.objects.count()
    client.force_login(personas.unit_a_head)

    response = client.post(reverse("ledger:item_act", args=[item.pk, "accept"]))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    assert ItemEvent.objects.count() == events


def test_a_wrong_file_type_is_refused_and_the_submission_is_not_half_written(client, personas, make_item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    client.force_login(personas.unit_a_staff)
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")

    response = client.post(reverse("ledger:item_act", args=[item.pk, "submit"]), {"reason": "报告", "files": [bad]})

    item.refresh_from_db()
    assert item.state == ItemState.ACKNOWLEDGED
    assert Attachment.objects.count() == 0
    assert item.reports.count() == 0
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("run.exe" in m for m in messages)


def test_a_supervisor_issues_a_notice_and_the_unit_answers(client, personas, make_item):
    item = make_item()
    client.force_login(personas.supervisor)
    client.post(reverse("ledger:notice_issue", args=[item.pk]), {"level": "red", "reason": "进度严重滞后"})
    notice = Notice.objects.get()
    assert notice.level == "red"

    client.force_login(personas.unit_b_staff)
    assert client.post(reverse("ledger:notice_answer", args=[notice.pk]), {"text": "x"}).status_code == 404
    client.force_login(personas.unit_a_staff)
    client.post(reverse("ledger:notice_answer", args=[notice.pk]), {"text": "已成立专班推进"})
    notice.refresh_from_db()
    assert notice.response_text == "已成立专班推进"


def test_the_inbox_and_the_queue(client, personas, make_item):
    item = make_item(title="待签收的任务")
    html = _get(client, personas.unit_a_staff, reverse("ledger:inbox")).content.decode()
    assert "待签收的任务" in html

    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(MONDAY))
    html = _get(client, personas.supervisor, reverse("ledger:queue")).content.decode()
    assert "待签收的任务" in html
    html = _get(client, personas.unit_a_head, reverse("ledger:queue")).content.decode()
    assert "待签收的任务" not in html


def test_registering_an_item_needs_a_deadline_and_the_office(client, personas, ledger):
    client.force_login(personas.office_admin)
    data = {
        "ledger": ledger.pk,
        "title": "新任务",
        "lead_unit": personas.unit_b.pk,
        "basis_kind": "decision",
        "urgency": "normal",
        "report_cadence": "monthly",
        "weight": "1",
    }
    response = client.post(reverse("ledger:item_new"), data)
    assert response.status_code == 400
    assert "请填写办理期限或自交办起的工作日数。" in response.content.decode()
    assert Item.objects.count() == 0

    response = client.post(reverse("ledger:item_new"), {**data, "deadline": "2030-12-31"})
    assert response.status_code == 302
    assert Item.objects.get().lead_unit == personas.unit_b

    client.force_login(personas.unit_a_staff)
    assert client.get(reverse("ledger:item_new")).status_code == 403


def test_the_list_sorts_by_deadline_both_ways(client, personas, make_item):
    make_item(title="晚到期", deadline=dt.date(2024, 12, 31))
    make_item(title="早到期", deadline=dt.date(2024, 7, 31))
    client.force_login(personas.office_admin)

    ascending = client.get(reverse("ledger:item_list"), {"sort": "deadline"}).content.decode()
    descending = client.get(reverse("ledger:item_list"), {"sort": "-deadline"}).content.decode()

    assert ascending.index("早到期") < ascending.index("晚到期")
    assert descending.index("晚到期") < descending.index("早到期")
    assert "sort=-deadline" in ascending  # the header link turns the order round


def test_date_pickers_keep_their_dates_in_chinese(client, personas, make_item):
    """A date input takes ISO dates only; the zh-Hans format 2024/06/28 would show it empty."""
    item = make_item(assign=False)
    html = _get(client, personas.office_admin, reverse("ledger:item_edit", args=[item.pk])).content.decode()
    assert 'lang="zh-hans"' in html.lower()
    assert 'type="date" name="deadline" value="2024-06-28"' in html


def test_the_list_escapes_what_people_typed(client, personas, make_item):
    make_item(title='<img src=x onerror="alert(1)"> & 东门')
    html = _get(client, personas.office_admin, reverse("ledger:item_list")).content.decode()
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; 东门" in html
    assert "<img src=x" not in html


@pytest.mark.parametrize(("persona", "status"), [("unit_a_staff", 403), ("unit_b_staff", 404), ("expert", 403)])
def test_only_the_office_opens_the_year_end_carry_over(client, personas, make_item, persona, status):
    url = reverse("ledger:carry_over", args=[make_item().ledger_id])  # unit A sees the ledger, unit B does not
    assert _get(client, getattr(personas, persona), url).status_code == status


def test_the_year_end_carry_over_lists_what_it_will_carry_and_waits_for_confirmation(client, personas, make_item):
    kept, finished = make_item(title="推进老旧小区改造"), make_item(title="已完成的事项")
    item_transition(actor=personas.office_admin, item=finished, action="cancel", reason="并入其他事项")
    url = reverse("ledger:carry_over", args=[kept.ledger_id])
    client.force_login(personas.office_admin)

    page = client.get(url)
    unconfirmed = client.post(url, {"year": 2025, "deadline": "2025-06-30"})

    assert [item.pk for item in page.context["plan"]] == [kept.pk]
    assert unconfirmed.status_code == 400 and not Item.objects.filter(ledger__year=2025).exists()
    done = client.post(url, {"year": 2025, "deadline": "2025-06-30", "confirm": "on"})
    carried = Item.objects.get(ledger__year=2025)
    assert done.status_code == 302 and carried.carried_from_id == kept.pk and carried.state == ItemState.ASSIGNED
    kept.refresh_from_db()
    assert kept.state == ItemState.CARRIED_OVER


def test_no_item_page_offers_carry_over_and_no_call_does_it_one_item_at_a_time(client, personas, make_item):
    item = make_item()
    client.force_login(personas.office_admin)

    page = client.get(reverse("ledger:item_detail", args=[item.pk])).content.decode()
    response = client.post(reverse("ledger:item_act", args=[item.pk, "carry_over"]), {"reason": "结转"})

    assert "act/carry_over" not in page
    item.refresh_from_db()
    assert response.status_code == 302 and item.state == ItemState.ASSIGNED


def test_an_empty_verification_opinion_reopens_its_form_and_changes_nothing(client, personas, make_item):
    item = make_item()
    item_transition(actor=personas.unit_a_staff, item=item, action="acknowledge", at=on_day(MONDAY))
    item_transition(actor=personas.unit_a_staff, item=item, action="submit", reason="报告", at=on_day(MONDAY))
    client.force_login(personas.supervisor)

    response = client.post(reverse("ledger:item_act", args=[item.pk, "accept"]), {"reason": "  "}, follow=True)

    item.refresh_from_db()
    assert item.state == ItemState.SUBMITTED
    assert response.redirect_chain[-1][0].endswith("?open=accept#action-accept")
    html = response.content.decode()
    assert '<details class="action-form" id="action-accept" open>' in html
    assert '<details class="action-form" id="action-return">' in html


def test_the_carry_over_list_shows_each_sub_item_under_its_parent(client, personas, make_item):
    first, second = make_item(title="第一项"), make_item(title="第二项")
    child = item_create(
        actor=personas.office_admin,
        ledger=first.ledger,
        title="第一项的子任务",
        lead_unit=personas.unit_a,
        deadline=END_OF_JUNE,
        parent=first,
        at=on_day(MONDAY),
    )
    item_transition(actor=personas.office_admin, item=child, action="assign", at=on_day(MONDAY))
    client.force_login(personas.office_admin)

    page = client.get(reverse("ledger:carry_over", args=[first.ledger_id]))

    assert [item.pk for item in page.context["plan"]] == [first.pk, child.pk, second.pk]


def test_the_leader_in_charge_is_chosen_among_district_leaders_only(client, personas, ledger):
    """People without a portfolio are not leaders (a filter on portfolios__ended_on__isnull took them)."""
    import re

    html = _get(client, personas.office_admin, reverse("ledger:item_new")).content.decode()

    leader_select = re.search(r'<select name="leader".*?</select>', html, re.S).group(0)
    assert re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", leader_select) == ["测试区领导"]
    handler_select = re.search(r'<select name="handler".*?</select>', html, re.S).group(0)
    assert "测试unit_a_staff" in handler_select and "测试区领导" in handler_select
