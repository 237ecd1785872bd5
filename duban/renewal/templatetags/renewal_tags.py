from django import template

register = template.Library()


@register.inclusion_tag("renewal/_tabs.html", takes_context=True)
def renewal_tabs(context, tab: str = ""):
    from duban.renewal import access

    return {"tab": tab, "administers": access.administers(context["request"].user)}
