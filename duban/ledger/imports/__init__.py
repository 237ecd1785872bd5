"""Reading a ledger: the template offices may fill in, or the workbook they already keep (any
layout `duban.ledger.sheets` can find a table in, columns named as `duban.ledger.mapping` knows),
and the row-by-row check (`check.py`; cells as offices write them in `cells.py`)."""

from duban.ledger.imports.check import (
    MAX_ROWS,
    PREVIEW_ROWS,
    CheckedWorkbook,
    RowError,
    check_workbook,
    remembered_mapping,
)
from duban.ledger.imports.template import COLUMNS, EXAMPLE, HEADERS, template_bytes

__all__ = [
    "COLUMNS",
    "EXAMPLE",
    "HEADERS",
    "MAX_ROWS",
    "PREVIEW_ROWS",
    "CheckedWorkbook",
    "RowError",
    "check_workbook",
    "remembered_mapping",
    "template_bytes",
]
