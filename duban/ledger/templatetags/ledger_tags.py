from html import escape

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from duban.ledger.choices import ItemState, Light

register = template.Library()
PK_MARK = 987654321


@register.simple_tag
def item_badges(item):
    """An item's state badge and, while it has one, its light. Built in Python: the ledger list
    shows fifty of these per page, and a template include per row costs more than the rest of the row."""
    state = format_html('<span class="badge state-{}">{}</span>', item.state, ItemState(item.state).label)
    if item.light == Light.NONE:
        return state
    label = Light(item.light).label
    return format_html('{} <span class="light light-{}" title="{}">{}</span>', state, item.light, label, label)


@register.simple_tag
def item_rows(items, today):
    """The ledger list's rows. Built in Python for the same reason as the badges: fifty rows of
    template nodes cost about half the page's time. Every value is escaped here (`html.escape`:
    Django's `escape` checks each argument for lazy text, which adds up over 500 cells)."""
    late_text = gettext("%(late)s days late")
    # On a phone each row is a card whose cells are labelled (data-label) like the table's headers.
    label = {
        "unit": escape(gettext("Lead unit")),
        "leader": escape(gettext("Leader in charge")),
        "deadline": escape(gettext("Deadline")),
        "progress": escape(gettext("Progress")),
        "state": escape(gettext("State")),
    }
    # One reverse() for the page: each call looks up the language, prefix and URLconf again.
    link_of = reverse("ledger:item_detail", args=[PK_MARK]).replace(str(PK_MARK), "{}").format
    badges = {}  # a page holds a handful of state × light pairs
    rows = []
    for item in items:
        if (item.state, item.light) not in badges:
            badges[item.state, item.light] = item_badges(item)
        link = link_of(item.pk)
        deadline = item.effective_deadline.isoformat() if item.effective_deadline else "—"
        late = item.overdue_days(today)
        overdue = f' <span class="overdue">{escape(late_text % {"late": late})}</span>' if late else ""
        leader = escape(item.leader.name) if item.leader else "—"
        rows.append(
            f'<tr><td class="nowrap"><a href="{link}">{escape(item.number)}</a></td>'
            f'<td><a href="{link}">{escape(item.title)}</a></td>'
            f'<td data-label="{label["unit"]}">{escape(item.lead_unit.name)}</td>'
            f'<td class="nowrap" data-label="{label["leader"]}">{leader}</td>'
            f'<td class="nowrap" data-label="{label["deadline"]}">{deadline}{overdue}</td>'
            f'<td class="nowrap" data-label="{label["progress"]}">'
            f'<progress max="100" value="{item.progress:d}"></progress> {item.progress:d}%</td>'
            f'<td class="nowrap" data-label="{label["state"]}">{badges[item.state, item.light]}</td></tr>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value is escaped above
