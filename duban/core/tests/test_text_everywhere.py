"""Any text written through the services — control characters, lone surrogates, texts of a
hundred thousand characters — and every export and document still downloads as a valid file."""

import datetime as dt
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from duban.campaigns.choices import ReportSource
from duban.campaigns.services.submitting import report_submit
from duban.campaigns.tests.conftest import DONGMEN, world  # noqa: F401 - the contexts' fixtures
from duban.core.testing import assert_valid_office_file, download_bytes
from duban.core.text import XML_FORBIDDEN
from duban.ledger.choices import LedgerKind, NoticeLevel
from duban.ledger.models import Ledger
from duban.ledger.services import item_create, item_transition, notice_issue
from duban.orgs import services as org_services
from duban.orgs.choices import UnitKind
from duban.rectification.services import finding_add
from duban.rectification.tests.conftest import audit_ledger, project  # noqa: F401
from duban.reforms import tolerance
from duban.reforms.models import AnnualPlan
from duban.reforms.tests.conftest import domain, main_leader, make_reform, reform_ledger  # noqa: F401

pytestmark = pytest.mark.django_db

FORBIDDEN = [chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]] + ["\ud800", "\udfff", "\uffff"]
characters = st.one_of(st.characters(codec=None, exclude_categories=()), st.sampled_from(FORBIDDEN))
short = st.text(characters, min_size=1, max_size=30)
long = st.one_of(
    st.text(characters, min_size=1, max_size=300),
    st.text(characters, min_size=1, max_size=5).map(lambda text: text * 20_000),  # up to 100,000 characters
)
serial = itertools.count(1)


def refused_or(call):
    """The service's answer, or None when it refuses the text with a ValidationError (as a form
    would show it); anything else is a failure."""
    try:
        return call()
    except ValidationError:
        return None


def check_file(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, response.status_code)
    assert_valid_office_file(download_bytes(response))


@settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(title=short, text=long)
@example(title="\udacc", text="\x01\x0b" * 50_000)  # a lone surrogate in a unique name; 100,000 controls
def test_any_text_through_the_services_leaves_every_download_valid(client, personas, request, title, text):
    town, new_reform, audit = (request.getfixturevalue(name) for name in ("world", "make_reform", "project"))
    n = next(serial)
    ledger, _ = Ledger.objects.get_or_create(
        name="2024年综合督办台账",
        defaults={"year": 2024, "kind": LedgerKind.GENERAL, "owner_unit": personas.reform_office,
                  "number_prefix": "罗督"},
    )  # fmt: skip
    item = item_create(
        actor=personas.office_admin, ledger=ledger, title=f"{n}{title}", lead_unit=personas.unit_a,
        deadline=dt.date(2030, 6, 30), content=text, basis_document=title, category=title[:60],
    )  # fmt: skip
    item = item_transition(actor=personas.office_admin, item=item, action="assign")
    notice = notice_issue(
        actor=personas.supervisor, item=item, level=NoticeLevel.RED, reason=f"{n}{text}", required_response=title
    )  # the number keeps a reason of only blanks (\x1c-\x1f are blanks to str.strip) from being refused
    refused_or(
        lambda: report_submit(
            actor=personas.resident, campaign=town.campaign, category=town.parking, source=ReportSource.PORTAL,
            description=f"{n}{title}{text}"[:4000], address=title, lat=DONGMEN[0], lng=DONGMEN[1],
        )
    )  # fmt: skip
    reform = refused_or(lambda: new_reform(title=f"{n}{title}"[:100], goals=text))
    case = refused_or(
        lambda: tolerance.tolerance_apply(
            actor=personas.unit_a_staff, unit=personas.unit_a, title=f"{n}{title}"[:100], facts=text, year=2024,
            reform=reform,
        )
    )  # fmt: skip
    unit = refused_or(
        lambda: org_services.unit_create(
            actor=None, parent=personas.district, name=f"{n}{title}", kind=UnitKind.DEPARTMENT
        )
    )
    refused_or(
        lambda: finding_add(
            actor=personas.office_admin, project=audit, title=f"{n}{title}", finding_type="management",
            amount_involved=1000, requirement=text, responsible_unit=unit,
        )
    )  # fmt: skip

    client.force_login(personas.supervisor)
    check_file(client, reverse("ledger:item_export"))
    check_file(client, reverse("ledger:notice_download", args=[notice.pk]))
    check_file(client, reverse("ledger:assignment_download", args=[item.pk]))
    check_file(client, reverse("rectification:yearend", args=[2024]), {"format": "xlsx"})
    client.force_login(personas.office_admin)
    check_file(client, reverse("campaigns:report_queue", args=[town.campaign.pk]), {"format": "xlsx"})
    check_file(client, reverse("portal:problem_stats_xlsx"), {"campaign": town.campaign.pk})
    for fmt in ("docx", "xlsx"):
        check_file(client, reverse("reforms:plan_detail", args=[2024]), {"format": fmt})
        check_file(client, reverse("reforms:appraisal_detail", args=[2024]), {"format": fmt})
    if case is not None:
        assert_valid_office_file(tolerance.notice_docx(case, timezone.localdate()))
    answer = etree.fromstring(client.get("/open311/v2/requests.xml").content)  # strict XML 1.0
    assert not any(XML_FORBIDDEN.search(part) for part in answer.itertext())


def test_a_download_named_after_a_stored_title_has_a_clean_header(client, personas, make_reform):  # noqa: F811
    """A plan titled "Plan\\n2024" (line feeds are fine in XML, not in a header) answered 500."""
    make_reform()
    AnnualPlan.objects.create(year=2024, title="Work plan\n2024\x01")
    client.force_login(personas.office_admin)
    for fmt in ("docx", "xlsx"):
        response = client.get(reverse("reforms:plan_detail", args=[2024]), {"format": fmt})
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="Work plan2024.{fmt}"'
