from __future__ import annotations

from duban.research.models import Project, ProjectEvent


def event_write(project: Project, actor, code: str, at, *, before: str = "", after: str = "", reason: str = "",
                **data) -> None:  # fmt: skip
    ProjectEvent.write(actor=actor, code=code, at=at, before=before, after=after, reason=reason, data=data,
                       project=project)  # fmt: skip
