"""An export's states: queued for a worker (or a process of its own), being written, ready to
download, failed (saying why), or removed after DUBAN_EXPORT_KEEP_DAYS."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from duban.core.transitions import Table, move


class ExportState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("export", "Waiting")  # 排队中
    RUNNING = "running", pgettext_lazy("export", "Being written")  # 生成中
    DONE = "done", pgettext_lazy("export", "Ready")  # 可下载
    FAILED = "failed", pgettext_lazy("export", "Failed")  # 失败
    EXPIRED = "expired", pgettext_lazy("export", "Removed")  # 已清除


S = ExportState

# Every move is the system's: a person only asks for an export and downloads it.
EXPORT_MOVES = Table(
    ExportState,
    [
        move("start", _("Start writing"), [S.QUEUED], S.RUNNING, event="downloads.export.started"),
        move("finish", _("Finish"), [S.RUNNING], S.DONE, event="downloads.export.finished"),
        move("again", _("Start again"), [S.RUNNING], S.QUEUED, event="downloads.export.again"),
        move("fail", _("Give up"), [S.QUEUED, S.RUNNING], S.FAILED, event="downloads.export.failed"),
        move("expire", _("Remove the file"), [S.DONE], S.EXPIRED, event="downloads.export.expired"),
    ],
)
