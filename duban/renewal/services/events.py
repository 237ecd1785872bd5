from __future__ import annotations

from duban.renewal.models import MediationCase, Project, Release, RenewalEvent


def event_write(project: Project, actor, code: str, at, *, case: MediationCase | None = None,
                release: Release | None = None, before: str = "", after: str = "", reason: str = "",
                **data) -> None:  # fmt: skip
    RenewalEvent.write(actor=actor, code=code, at=at, before=before, after=after, reason=reason, data=data,
                       project=project, case=case, release=release)  # fmt: skip
