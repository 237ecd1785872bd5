from django import template

from duban.core import derived

register = template.Library()


@register.inclusion_tag("_built_from.html", takes_context=True)
def built_from(context, subject, built=None):
    """What other contexts built from `subject` (rules from an audit finding), and links to build more.
    `built`: the list when the page has read it for many subjects at once."""
    records = derived.built_from([subject]).get(subject.pk, []) if built is None else built
    return {"records": records, "links": derived.build_links(subject, context["request"].user)}
