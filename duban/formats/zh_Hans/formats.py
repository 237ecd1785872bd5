"""Chinese number formats as finance offices write amounts: 1,234,567.89 (Django's zh_Hans groups by
ten thousand without a separator, 123456789.00, which nobody reads at a glance)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
