from __future__ import annotations

from duban.research.models import Project, ProjectEvent


def event_write(project: Project, actor, code: str, at, *, before: str = "", after: str = "", reason: str = "",
                **data) -> None:  # fmt: skip
    ProjectEvent.objects.create(
        project=project, at=at, actor=actor if getattr(actor, "is_authenticated", False) else None, code=code,
        from_state=before, to_state=after, reason=reason[:500], data=data,
    )  # fmt: skip
