from __future__ import annotations

from duban.contracts.models import ContractEvent


def event_write(actor, code: str, at, *, version=None, contract=None, before: str = "", after: str = "",
                reason: str = "", **data) -> None:  # fmt: skip
    ContractEvent.write(actor=actor, code=code, at=at, before=before, after=after, reason=reason, data=data,
                        version=version, contract=contract)  # fmt: skip
