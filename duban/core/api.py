"""What every context's JSON API shares: the one error shape, the error answers each operation
documents, and the id types (a database id is 1 to 2**63-1; a larger number is no id, and
would overflow the query)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from ninja import Field, Path, Schema
from ninja.pagination import PageNumberPagination

BIGGEST_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=BIGGEST_ID)]
PathId = Annotated[int, Path(ge=1, le=BIGGEST_ID)]


class ErrorOut(Schema):
    """Every error answer: `detail` in the user's language; `errors` by field for refused input
    (400 from a service, 422 from the schema); `link` to the page where a refused step is done."""

    detail: str
    errors: dict[str, list[str]] | None = None
    link: str | None = None


class StepEventOut(Schema):
    """One step of a context's record (a `duban.core.models.StepEvent` row)."""

    at: dt.datetime
    code: str
    from_state: str
    to_state: str
    reason: str
    actor_id: int | None


# The error answers an operation documents (and gives). 400: the service refused the input or the
# body could not be read; 401: not signed in; 403: the role does not allow it; 404: no such thing,
# or not the caller's to see; 409: the state machine refuses the step; 422: the input is not what
# the schema says; 503: the database was busy, nothing was saved, send again (Retry-After).
PUBLIC_READ_ERRORS = {frozenset({400, 403, 404, 422, 503}): ErrorOut}
READ_ERRORS = {frozenset({400, 401, 403, 404, 422, 503}): ErrorOut}
WRITE_ERRORS = {frozenset({400, 401, 403, 404, 409, 422, 503}): ErrorOut}


class Pages(PageNumberPagination):
    """Page through a list: `page` (from 1) and `page_size` (at most 100)."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=100_000)
        page_size: int | None = Field(None, ge=1, le=100)
