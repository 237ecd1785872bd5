"""The ledger's pages; `urls.py` names each view as `views.<name>`."""

from duban.ledger.views.imports import (
    import_batch,
    import_detail,
    import_mapping,
    import_new,
    import_template,
    import_unit_alias,
    ledger_export_own,
)
from duban.ledger.views.items import (
    assignment_download,
    attachment_download,
    co_unit_acknowledge,
    co_unit_report,
    extension_decide,
    instruction_add,
    interview_add,
    item_act,
    item_detail,
    item_extension,
    item_progress,
    notice_answer,
    notice_download,
    notice_issue,
)
from duban.ledger.views.ledgers import ledger_carry_over, ledger_edit, ledger_list
from duban.ledger.views.lists import inbox, item_export, item_list, notifications, queue
from duban.ledger.views.registering import item_edit, item_new

__all__ = [
    "assignment_download",
    "attachment_download",
    "co_unit_acknowledge",
    "co_unit_report",
    "extension_decide",
    "import_batch",
    "import_detail",
    "import_mapping",
    "import_new",
    "import_template",
    "import_unit_alias",
    "ledger_export_own",
    "inbox",
    "notifications",
    "instruction_add",
    "interview_add",
    "item_act",
    "item_detail",
    "item_edit",
    "item_export",
    "item_extension",
    "item_list",
    "item_new",
    "item_progress",
    "ledger_carry_over",
    "ledger_edit",
    "ledger_list",
    "notice_answer",
    "notice_download",
    "notice_issue",
    "queue",
]
