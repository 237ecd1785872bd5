from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Look up `key` in a dict from a template: {{ children|get_item:unit.pk }}."""
    return mapping.get(key)
