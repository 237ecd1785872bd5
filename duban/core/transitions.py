"""The one transition mechanism: every context's state changes are moves of a `Table`.

A move names where it may start (`sources`), where it ends (`target`; `None` keeps the state, as
re-routing a new problem report does), who may make it (`actor`, a key the context's access rules
read), whether it needs a written reason, whether it is irreversible and so asks first, and the
event it writes. A service checks its move with `Table.check` (or `Table.check_target` for
services that name the state they move to), locks its row, changes it and writes the event row,
all in one transaction; the table is the only place a state change is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from duban.core.errors import TransitionError


@dataclass(frozen=True)
class Move:
    code: str
    label: str
    sources: frozenset[str]
    target: str | None
    actor: str = ""
    needs_reason: bool = False
    confirm: bool = False  # irreversible: the page asks first, with an opinion field
    event: str = ""

    def target_from(self, state: str) -> str:
        return state if self.target is None else self.target


def move(code, label, sources: Iterable[str], target, actor="", *, needs_reason=False, confirm=False, event=""):
    return Move(code, label, frozenset(sources), target, actor, needs_reason, confirm, event)


@dataclass
class Table:
    """A context's transition table over one `TextChoices` of states."""

    states: type
    moves: list[Move]
    # "“%(action)s” is not possible while the … is “%(state)s”.", naming what moves
    not_now: str = gettext_lazy("“%(action)s” is not possible in the state “%(state)s”.")
    by_code: dict[str, Move] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {m.code: m for m in self.moves}
        known = set(self.states.values)
        for m in self.moves:
            unknown = (set(m.sources) | ({m.target} if m.target else set())) - known
            if unknown:
                raise ValueError(f"{m.code}: unknown states {sorted(unknown)}")

    def __getitem__(self, code: str) -> Move:
        return self.by_code[code]

    def __contains__(self, code: str) -> bool:
        return code in self.by_code

    def get(self, code: str) -> Move | None:
        return self.by_code.get(code)

    def values(self):
        return self.by_code.values()

    def available(self, state: str) -> list[Move]:
        return [m for m in self.moves if state in m.sources]

    def targets(self, state: str) -> set[str]:
        return {m.target_from(state) for m in self.available(state)}

    def label(self, state: str) -> str:
        return str(self.states(state).label)

    def check(
        self,
        state: str,
        code: str,
        *,
        may: Callable[[Move], bool] | None = None,
        refusal: str | Callable[[Move], str] = "",
        reason: str | None = None,
        reason_field: str = "reason",
    ) -> Move:
        """The move `code` from `state`, or a TransitionError (unknown, or not from this state), a
        PermissionDenied (`may(move)` is false; `refusal` says why, or tells from the move) or a
        ValidationError on `reason_field` (the move needs a reason and `reason` is blank)."""
        found = self.by_code.get(code)
        if found is None:
            raise TransitionError(_("Unknown action."))
        if state not in found.sources:
            raise TransitionError(str(self.not_now) % {"action": found.label, "state": self.label(state)})
        if may is not None and not may(found):
            raise PermissionDenied((refusal(found) if callable(refusal) else refusal) or _("You cannot do this here."))
        if found.needs_reason and reason is not None and not reason.strip():
            raise ValidationError({reason_field: _("Give a reason or a report for this step.")})
        return found

    def check_target(self, current: str, target: str) -> Move:
        """The move from `current` to `target`, for services that name the state they move to."""
        for m in self.available(current):
            if m.target_from(current) == target:
                return m
        raise TransitionError(
            _("Cannot change from “%(current)s” to “%(target)s”.")
            % {"current": self.label(current), "target": self.label(target)}
        )
