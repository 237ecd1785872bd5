"""Every form marks its required fields: an asterisk in the label and aria-required on the control."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone

from duban.campaigns.services import setup
from duban.ledger.choices import LedgerKind
from duban.ledger.models import Ledger
from duban.ledger.services import item_create, item_transition

pytestmark = pytest.mark.django_db


class Controls(HTMLParser):
    """The form controls of a page, each with the text of its label (or legend) as HTML."""

    def __init__(self):
        super().__init__()
        self.controls: list[dict] = []
        self.labels: dict[str, str] = {}  # for= id → the label's inner HTML
        self.open_labels: list[dict] = []
        self.legends: list[str] = []
        self.in_legend = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for label in self.open_labels:
            label["html"] += self.get_starttag_text()
        if self.in_legend:
            self.legends[-1] += self.get_starttag_text()
        if tag == "label":
            self.open_labels.append({"for": attrs.get("for"), "html": "", "controls": []})
        elif tag == "legend":
            self.in_legend, self.legends = True, [*self.legends, ""]
        elif tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit"}:
            control = {**attrs, "tag": tag, "legend": self.legends[-1] if self.legends else "", "wrapping": None}
            if self.open_labels:
                self.open_labels[-1]["controls"].append(control)
            self.controls.append(control)

    def handle_endtag(self, tag):
        if tag == "label" and self.open_labels:
            label = self.open_labels.pop()
            if label["for"]:
                self.labels[label["for"]] = label["html"]
            for control in label["controls"]:
                control["wrapping"] = label["html"]
            for outer in self.open_labels:
                outer["html"] += f"</{tag}>"
        elif tag == "legend":
            self.in_legend = False
        elif tag == "fieldset":
            self.legends = self.legends[:-1]
        for label in self.open_labels:
            label["html"] += f"</{tag}>"

    def handle_data(self, data):
        for label in self.open_labels:
            label["html"] += data
        if self.in_legend:
            self.legends[-1] += data


def _unmarked(html: str) -> list[str]:
    parser = Controls()
    parser.feed(html)
    wrong = []
    for control in parser.controls:
        if "required" not in control or "disabled" in control:
            continue
        label = parser.labels.get(control.get("id")) or control["wrapping"] or control["legend"]
        if control.get("aria-required") != "true" or "required-mark" not in (label or ""):
            wrong.append(f"{control['tag']} {control.get('name')}: label {label!r}")
    return wrong


@pytest.fixture
def world(personas):
    today = timezone.localdate()
    ledger = Ledger.objects.create(
        name="台账", year=today.year, kind=LedgerKind.REFORM, owner_unit=personas.reform_office, number_prefix="罗改"
    )
    item = item_create(
        actor=personas.office_admin,
        ledger=ledger,
        title="推进东门步行街综合整治",
        lead_unit=personas.unit_a,
        deadline=today + dt.timedelta(days=60),
    )
    item_transition(actor=personas.office_admin, item=item, action="assign")
    campaign = setup.campaign_create(
        actor=personas.office_admin,
        owner_unit=personas.reform_office,
        name="文明城市十大专项整治",
        code="test",
        starts_on=today - dt.timedelta(days=30),
        ends_on=today + dt.timedelta(days=120),
    )
    return {"item": item, "campaign": campaign, "ledger": ledger}


PAGES = [
    ("office_admin", "orgs:unit_edit", lambda p, w: [p.unit_a.pk]),
    ("office_admin", "orgs:unit_create", lambda p, w: []),
    ("office_admin", "orgs:unit_move", lambda p, w: [p.unit_a_community.pk]),
    ("office_admin", "orgs:person_create", lambda p, w: []),
    ("office_admin", "orgs:position_add", lambda p, w: [p.unit_a.pk]),
    ("office_admin", "orgs:portfolio_create", lambda p, w: []),
    ("office_admin", "ledger:item_new", lambda p, w: []),
    ("office_admin", "ledger:ledger_new", lambda p, w: []),
    ("office_admin", "ledger:import_new", lambda p, w: []),
    ("office_admin", "ledger:item_detail", lambda p, w: [w["item"].pk]),
    ("unit_a_staff", "ledger:item_detail", lambda p, w: [w["item"].pk]),
    ("office_admin", "campaigns:campaign_new", lambda p, w: []),
    ("office_admin", "campaigns:category_new", lambda p, w: [w["campaign"].pk]),
    ("office_admin", "campaigns:chief_new", lambda p, w: [w["campaign"].pk]),
    ("office_admin", "campaigns:rule_new", lambda p, w: [w["campaign"].pk]),
    ("unit_a_staff", "campaigns:inspect", lambda p, w: []),
    ("office_admin", "reforms:reform_new", lambda p, w: []),
    ("office_admin", "reforms:call_new", lambda p, w: []),
    ("office_admin", "reforms:case_new", lambda p, w: []),
    ("office_admin", "reforms:evaluation_new", lambda p, w: ["panel"]),
    ("unit_a_staff", "reforms:tolerance_new", lambda p, w: []),
    ("office_admin", "rectification:project_new", lambda p, w: []),
    ("office_admin", "rectification:coverage_new", lambda p, w: []),
    ("anonymous", "portal:problem_new", lambda p, w: []),
]


@pytest.mark.parametrize(("persona", "url_name", "args"), PAGES, ids=[f"{u}-{p}" for p, u, _ in PAGES])
def test_every_required_field_is_marked(client, personas, world, persona, url_name, args):
    if persona != "anonymous":
        client.force_login(getattr(personas, persona))

    response = client.get(reverse(url_name, args=args(personas, world)))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<form" in html
    assert _unmarked(html) == []


def test_an_unmarked_required_control_is_caught():
    assert _unmarked('<label for="a">A</label><input id="a" name="a" required>') == ["input a: label 'A'"]
    assert _unmarked('<label>B <textarea name="b" required aria-required="true"></textarea></label>') != []
    marked = '<label for="c">C<span class="required-mark">*</span></label>'
    marked += '<input id="c" name="c" required aria-required="true">'
    assert _unmarked(marked) == []
