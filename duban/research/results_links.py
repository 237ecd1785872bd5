"""Research results adopted into another context's records (a reform, a rule), shown on those
records' pages through `duban.core.derived` without either context importing the other."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.translation import gettext as _

from duban.core.derived import Built
from duban.research.models import Adoption


def adopted_into(subjects) -> dict[int, list[Built]]:
    content_type = ContentType.objects.get_for_model(type(subjects[0]))
    links = Adoption.objects.filter(target_type=content_type, target_id__in=[s.pk for s in subjects])
    found: dict[int, list[Built]] = {}
    for adoption in links.select_related("result").order_by("adopted_on", "pk"):
        found.setdefault(adoption.target_id, []).append(
            Built(
                label=_("Research result adopted: %(title)s") % {"title": adoption.result.title},
                url=reverse("research:result_detail", args=[adoption.result_id]),
                note=adoption.adopted_on.isoformat(),
                counts=True,
            )
        )
    return found
