"""The centre's administration: settings, posts, document types and checklists, funds and the
green list, each change with its history."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from duban.core.history import save_with_history
from duban.orgs.models import User
from duban.payments import access
from duban.payments.models import DocumentType, RequestType

# The standard checklist: (code, name, key). Key documents are never accepted as missing.
STANDARD_DOCUMENTS = [
    ("indicator", "预算指标文件", True),
    ("approval", "立项或资金审批文件", True),
    ("account", "收款账户证明", True),
    ("contract", "合同", False),
    ("invoice", "发票", False),
    ("acceptance", "验收报告", False),
    ("roster", "发放对象花名册", False),
    ("publicity", "公示材料", False),
    ("minutes", "会议纪要", False),
]
STANDARD_TYPES = {
    "工程款": ["indicator", "approval", "account", "contract", "invoice", "acceptance"],
    "货物和服务采购款": ["indicator", "approval", "account", "contract", "invoice", "acceptance"],
    "补助资金发放": ["indicator", "approval", "account", "roster", "publicity"],
    "专项工作经费": ["indicator", "approval", "account", "invoice", "minutes"],
}


def _require_admin(actor) -> None:
    if actor is not None and not access.administers(actor):
        raise PermissionDenied(_("Only the centre's administrators do this."))


@transaction.atomic
def setting_save(*, actor: User | None, instance, reason: str, **fields):
    """A setting, a post, a document type, a request type, a fund or a unit on the green list,
    added or changed by the centre's administrators, with its history."""
    _require_admin(actor)
    if instance.pk is not None:
        instance = type(instance).objects.select_for_update().get(pk=instance.pk)
    many = {name: fields.pop(name) for name in list(fields) if name == "documents"}
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    save_with_history(instance, actor=actor, reason=reason)
    for name, value in many.items():
        getattr(instance, name).set(value)
    return instance


@transaction.atomic
def setting_remove(*, actor: User | None, instance, reason: str) -> None:
    """A post or a unit on the green list removed (the history keeps it)."""
    _require_admin(actor)
    instance._history_user = actor if getattr(actor, "is_authenticated", False) else None
    instance._change_reason = reason
    instance.delete()


@transaction.atomic
def standard_checklist(*, actor: User | None) -> int:
    """Add the standard document types and request types that are not there yet; returns how many."""
    _require_admin(actor)
    added = 0
    types = {}
    for order, (code, name, key) in enumerate(STANDARD_DOCUMENTS):
        found = DocumentType.objects.filter(code=code).first()
        if found is None:
            found = setting_save(actor=actor, instance=DocumentType(), reason="payments.document_type.saved",
                                 code=code, name=name, key=key, sort_order=order)  # fmt: skip
            added += 1
        types[code] = found
    for name, codes in STANDARD_TYPES.items():
        if not RequestType.objects.filter(name=name).exists():
            setting_save(actor=actor, instance=RequestType(), reason="payments.request_type.saved", name=name,
                         documents=[types[code] for code in codes])  # fmt: skip
            added += 1
    return added
