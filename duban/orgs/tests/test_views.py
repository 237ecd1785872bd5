import pytest
from django.urls import reverse

from duban.orgs.choices import RecordState
from duban.orgs.models import Domain, LeaderPortfolio, Person, Unit

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_sign_in(client, personas):
    response = client.get(reverse("orgs:unit_tree"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["resident", "expert"])
def test_non_officials_are_refused_the_directory(client, personas, persona):
    client.force_login(getattr(personas, persona))
    assert client.get(reverse("orgs:unit_tree")).status_code == 403
    assert client.get(reverse("orgs:unit_detail", args=[personas.unit_a.pk])).status_code == 403


def test_staff_browse_the_whole_tree(client, personas):
    client.force_login(personas.unit_b_staff)
    html = client.get(reverse("orgs:unit_tree")).content.decode()
    for name in ["罗湖区", "东门街道", "城东社区", "桂园街道", "区委改革办", "鹏城公共政策评估中心"]:
        assert name in html


def test_unit_search_returns_a_partial_for_htmx(client, personas):
    client.force_login(personas.unit_a_staff)
    response = client.get(reverse("orgs:unit_tree"), {"q": "城东"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "城东社区" in html
    assert "<html" not in html


def test_a_unit_page_shows_its_head_leader_in_charge_staff_and_units_below(client, personas):
    client.force_login(personas.unit_a_staff)
    html = client.get(reverse("orgs:unit_detail", args=[personas.unit_a.pk])).content.decode()
    assert "测试unit_a_head" in html  # the head (一把手)
    assert "副区长 测试区领导" in html  # district leader in charge, from the portfolio
    assert "测试unit_a_staff" in html
    assert "城东社区" in html


def test_a_leader_in_charge_of_a_street_is_shown_on_its_communities(client, personas):
    client.force_login(personas.unit_a_staff)
    html = client.get(reverse("orgs:unit_detail", args=[personas.unit_a_community.pk])).content.decode()
    assert "副区长 测试区领导" in html


def test_staff_of_another_street_cannot_edit_and_nothing_changes(client, personas):
    client.force_login(personas.unit_b_staff)
    url = reverse("orgs:unit_edit", args=[personas.unit_a.pk])
    history_rows = personas.unit_a.history.count()

    assert client.get(url).status_code == 403
    response = client.post(url, {"name": "被改名", "kind": "street", "sort_order": 0})

    assert response.status_code == 403
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.name == "东门街道"
    assert personas.unit_a.history.count() == history_rows


def test_a_missing_field_is_shown_in_chinese_next_to_it_and_nothing_is_saved(client, personas):
    client.force_login(personas.unit_a_staff)
    url = reverse("orgs:unit_edit", args=[personas.unit_a.pk])

    response = client.post(url, {"name": "", "kind": "street", "sort_order": "x"})

    assert response.status_code == 400
    html = response.content.decode()
    assert "此项为必填项。" in html
    assert "输入整数。" in html
    personas.unit_a.refresh_from_db()
    assert personas.unit_a.name == "东门街道"


def test_an_edit_is_recorded_and_shown_in_the_history(client, personas):
    client.force_login(personas.unit_a_staff)
    client.post(
        reverse("orgs:unit_edit", args=[personas.unit_a.pk]),
        {
            "name": "东门街道",
            "kind": "street",
            "sort_order": 0,
            "office_phone": "0755-82200000",
            "code": "440303003",
        },
    )

    html = client.get(reverse("orgs:unit_history", args=[personas.unit_a.pk])).content.decode()
    assert "0755-82200000" in html
    assert "测试unit_a_staff" in html  # who
    assert "单位已修改" in html  # what, in Chinese


def test_creating_a_grid_under_the_own_community(client, personas):
    client.force_login(personas.unit_a_staff)
    response = client.post(
        reverse("orgs:unit_create") + f"?parent={personas.unit_a_community.pk}",
        {"name": "城东社区第三网格", "kind": "grid", "sort_order": 3},
    )
    grid = Unit.objects.get(name="城东社区第三网格")
    assert response.status_code == 302
    assert grid.parent == personas.unit_a_community


def test_creating_under_another_street_is_refused(client, personas):
    client.force_login(personas.unit_a_staff)
    response = client.post(
        reverse("orgs:unit_create") + f"?parent={personas.unit_b.pk}", {"name": "X社区", "kind": "community"}
    )
    assert response.status_code == 403
    assert not Unit.objects.filter(name="X社区").exists()


def test_a_retired_unit_and_its_children_stay_readable(client, personas):
    client.force_login(personas.office_admin)
    from duban.orgs import services

    child = services.unit_create(actor=None, parent=personas.unit_a_community, name="城东一网格", kind="grid")
    services.unit_retire(actor=None, unit=child, reason="网格调整")
    response = client.post(reverse("orgs:unit_retire", args=[personas.unit_a_community.pk]), {"reason": "社区合并"})
    assert response.status_code == 302

    personas.unit_a_community.refresh_from_db()
    assert personas.unit_a_community.state == RecordState.RETIRED
    html = client.get(reverse("orgs:unit_detail", args=[personas.unit_a_community.pk])).content.decode()
    assert "社区合并" in html
    assert "城东一网格" in html
    assert client.get(reverse("orgs:unit_history", args=[child.pk])).status_code == 200


def test_a_resident_never_sees_an_officials_mobile(client, personas):
    mobile = personas.unit_a_staff.person.mobile
    client.force_login(personas.unit_b_staff)
    html = client.get(reverse("orgs:unit_detail", args=[personas.unit_a.pk])).content.decode()
    assert mobile not in html
    client.force_login(personas.unit_a_head)
    html = client.get(reverse("orgs:unit_detail", args=[personas.unit_a.pk])).content.decode()
    assert mobile in html


def test_office_admin_manages_portfolios_in_the_ui(client, personas):
    domain = Domain.objects.create(code="industry", name="产业发展")
    leader = Person.objects.create(name="新任副区长")
    client.force_login(personas.office_admin)

    response = client.post(
        reverse("orgs:portfolio_create"),
        {
            "leader": leader.pk,
            "title": "副区长",
            "rank": "in_charge",
            "sort_order": 5,
            "domains": [domain.pk],
            "units": [personas.unit_b.pk],
        },
    )

    assert response.status_code == 302
    portfolio = LeaderPortfolio.objects.get(leader=leader)
    assert list(portfolio.units.all()) == [personas.unit_b]
    assert list(portfolio.domains.all()) == [domain]
    assert portfolio.history.get().history_user == personas.office_admin


def test_unit_staff_cannot_manage_portfolios(client, personas):
    client.force_login(personas.unit_a_head)
    assert client.get(reverse("orgs:portfolio_create")).status_code == 403
    portfolio = LeaderPortfolio.objects.get()
    assert client.post(reverse("orgs:portfolio_end", args=[portfolio.pk])).status_code == 403
    portfolio.refresh_from_db()
    assert portfolio.ended_on is None


def test_posting_and_ending_a_position_through_the_ui(client, personas):
    newcomer = Person.objects.create(name="新同事")
    client.force_login(personas.unit_a_head)
    response = client.post(
        reverse("orgs:position_add", args=[personas.unit_a.pk]),
        {"person": newcomer.pk, "role": "liaison", "title": "改革联络员", "started_on": "2024-03-01"},
    )
    assert response.status_code == 302
    position = newcomer.positions.get()
    assert position.unit == personas.unit_a

    client.post(reverse("orgs:position_end", args=[position.pk]))
    position.refresh_from_db()
    assert position.ended_on is not None


def test_people_are_retired_not_deleted(client, personas):
    person = personas.unit_b_staff.person
    client.force_login(personas.office_admin)
    client.post(reverse("orgs:person_retire", args=[person.pk]))
    person.refresh_from_db()
    assert person.state == RecordState.RETIRED
    html = client.get(reverse("orgs:person_history", args=[person.pk])).content.decode()
    assert "人员已停用" in html


def test_home_page_is_chinese_and_switches_to_english(client, personas):
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "罗湖区" in html
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Reform and rectification supervision" in html
