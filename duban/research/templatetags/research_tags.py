from django import template

from duban.research.choices import Stage

register = template.Library()


@register.filter
def stage_label(value: str) -> str:
    """A panel's or milestone's stage code, in words."""
    return str(Stage(value).label) if value in Stage.values else value
