from django import template

register = template.Library()


@register.filter
def clock(hours: float) -> str:
    """16.5 → "16:30"; the end of a day is 24:00."""
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@register.filter
def percent(share: float | None) -> str:
    """0.372 → "37%": the cars' share of their working hours, as the cockpit shows it."""
    from duban.fleet.summary import percent as as_percent

    return as_percent(share)


@register.inclusion_tag("fleet/_tabs.html", takes_context=True)
def fleet_tabs(context, tab: str = ""):
    """The platform's tabs, each shown to whoever may use its page."""
    from duban.fleet import access

    user = context["request"].user
    return {
        "tab": tab,
        "dispatches": access.is_dispatcher(user),
        "drives": access.driver_of(user) is not None,
        "platform_admin": access.is_platform_admin(user),
        "oversees": access.oversees(user),
    }
