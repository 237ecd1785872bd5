from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from duban.ledger.choices import ItemState, Light

register = template.Library()


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
    template nodes cost about half the page's time."""
    late_text = gettext("%(late)s days late")
    badges = {}  # a page holds a handful of state × light pairs
    rows = []
    for item in items:
        if (item.state, item.light) not in badges:
            badges[item.state, item.light] = item_badges(item)
        link = reverse("ledger:item_detail", args=[item.pk])
        deadline = item.effective_deadline.isoformat() if item.effective_deadline else "—"
        late = item.overdue_days(today)
        overdue = format_html(' <span class="overdue">{}</span>', late_text % {"late": late}) if late else ""
        rows.append(
            format_html(
                '<tr><td class="nowrap"><a href="{}">{}</a></td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td>'
                '<td class="nowrap">{}{}</td><td><progress max="100" value="{}"></progress> {}%</td>'
                '<td class="nowrap">{}</td></tr>',
                link,
                item.number,
                link,
                item.title,
                item.lead_unit.name,
                item.leader.name if item.leader else "—",
                deadline,
                overdue,
                item.progress,
                item.progress,
                item_badges(item),
            )  # fmt: skip
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every part went through format_html
