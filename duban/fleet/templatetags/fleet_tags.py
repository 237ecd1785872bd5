from django import template

register = template.Library()


@register.filter
def clock(hours: float) -> str:
    """16.5 → "16:30"; the end of a day is 24:00."""
    minutes = round(hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
