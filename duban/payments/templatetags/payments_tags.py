from django import template

register = template.Library()


@register.inclusion_tag("payments/_tabs.html", takes_context=True)
def payments_tabs(context, tab: str = ""):
    """The green channel's tabs, each shown to whoever may use its page."""
    from duban.payments import access

    user = context["request"].user
    return {"tab": tab, "oversees": access.oversees(user)}
