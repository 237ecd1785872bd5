"""Importing existing contracts into the analysis from the agency's workbook (.xlsx, .xls, .ods or
.csv): one row per contract, a column per checklist clause marked ✓/✗ (有/无, 是/否). The same
columns the analysis downloads, so a downloaded workbook, completed, comes back in. Every row is
checked before anything is written; then all rows are added, or none."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from duban.contracts import access
from duban.contracts.choices import OwnerKind
from duban.contracts.models import AnalysedContract, ClauseItem
from duban.contracts.services.analysis import analysed_add
from duban.core.money import clean_amount
from duban.core.uploads import UnreadableUpload
from duban.ledger.mapping import clean_header
from duban.ledger.sheets import find_table
from duban.ledger.values import amount_of, deadline_of, yes_no
from duban.orgs.models import User

MAX_ROWS = 500
MAX_BYTES = 5 * 1024 * 1024
REQUIRED = ("project", "owner_kind", "owner", "contractor", "amount", "starts_on", "ends_on")
# Other names offices give the columns, besides the download's own headers in either language.
SYNONYMS = {
    "project": ["项目名称", "工程名称", "项目"],
    "owner_kind": ["建设单位类型", "单位类型", "类型"],
    "owner": ["建设单位", "业主单位", "发包人"],
    "contractor": ["施工单位", "承包人", "承包单位"],
    "amount": ["合同金额", "合同价款", "签约合同价"],
    "starts_on": ["开工日期", "计划开工日期"],
    "ends_on": ["竣工日期", "计划竣工日期"],
    "delay_days": ["延误天数", "工期延误天数", "延期天数"],
    "settlement_days": ["结算天数", "竣工至结算天数"],
    "notes": ["存在问题", "发现问题", "问题", "备注"],
}
OWNER_KIND_WORDS = {
    "市工务署": OwnerKind.CITY_WORKS, "市建筑工务署": OwnerKind.CITY_WORKS,
    "区工务署": OwnerKind.DISTRICT_WORKS, "区建筑工务署": OwnerKind.DISTRICT_WORKS,
    "央企": OwnerKind.CENTRAL_SOE, "中央企业": OwnerKind.CENTRAL_SOE,
    "国企": OwnerKind.LOCAL_SOE, "地方国企": OwnerKind.LOCAL_SOE, "市属国企": OwnerKind.LOCAL_SOE,
    "区属国企": OwnerKind.LOCAL_SOE,
}  # fmt: skip


# The analysis's columns as its download names them.
LABELS = {
    "project": gettext_lazy("Project"), "owner_kind": gettext_lazy("Owner kind"),
    "owner": pgettext_lazy("construction contract", "Owner"),
    "contractor": pgettext_lazy("construction contract", "Contractor"), "amount": gettext_lazy("Contract amount"),
    "starts_on": gettext_lazy("Commencement date"), "ends_on": gettext_lazy("Completion date"),
    "delay_days": gettext_lazy("Days of delay"), "settlement_days": gettext_lazy("Days from completion to settlement"),
    "notes": gettext_lazy("Problems found"),
}  # fmt: skip


def _owner_kinds() -> dict[str, str]:
    """Every way an owner kind is written → the kind."""
    kinds = dict(OWNER_KIND_WORDS)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            kinds.update({str(kind.label).replace(" ", ""): kind for kind in OwnerKind})
    return kinds


def _names() -> dict[str, str]:
    """Every header name a column may carry → the field (or "clause:<pk>") it is."""
    names = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.update({clean_header(str(label)): field for field, label in LABELS.items()})
    for field, words in SYNONYMS.items():
        for word in words:
            names.setdefault(word, field)
    for clause in ClauseItem.objects.all():
        names[clean_header(clause.name)] = f"clause:{clause.pk}"
    return names


def _read(field: str, value, kinds: dict[str, str]):
    text = str(value).strip() if value is not None else ""
    if field in ("starts_on", "ends_on"):
        day, _kind = deadline_of(value, 2000) if text else (None, "")
        if day is None:
            raise ValueError
        return day
    if field == "amount":
        return clean_amount(amount_of(value))
    if field in ("delay_days", "settlement_days"):
        if not text:
            return 0 if field == "delay_days" else None
        number = float(text.removesuffix("天"))
        if number < 0 or number != int(number):
            raise ValueError
        return int(number)
    if field == "owner_kind":
        return kinds[text.replace(" ", "")]
    return text


def _has_clause(value) -> bool:
    text = str(value if value is not None else "").strip()
    if text in ("", "无", "缺", "缺失", "未约定"):
        return False
    return text in ("有", "已约定") or yes_no(text)


def _problem(field: str) -> str:
    return {
        "starts_on": _("the commencement date is not a date"),
        "ends_on": _("the completion date is not a date"),
        "amount": _("the contract amount is not an amount in yuan"),
        "delay_days": _("the days of delay are not a whole number of days"),
        "settlement_days": _("the days to settlement are not a whole number of days"),
        "owner_kind": _("the owner kind is not one of 市建筑工务署, 区建筑工务署, 央企 or 国企"),
    }.get(field, _("a value cannot be read"))


def analysed_import(*, actor: User | None, data: bytes, name: str = "", at=None) -> list[AnalysedContract]:
    """Add every row of the workbook to the analysis, or none: a ValidationError lists each row's
    problems (by the row number the office sees)."""
    access.require_agency(actor)
    if len(data) > MAX_BYTES:
        raise ValidationError(_("The file is larger than 5 MB."))
    names, kinds = _names(), _owner_kinds()

    def score(row: list) -> int:
        return len({names[clean_header(v)] for v in row if isinstance(v, str) and clean_header(v) in names})

    hint = "、".join(str(LABELS[field]) for field in REQUIRED)
    try:
        table = find_table(data, score=score, max_rows=MAX_ROWS + 1, name=name, columns_hint=hint)
    except UnreadableUpload as refusal:
        raise ValidationError(str(refusal)) from None
    columns = {i: names[clean_header(h)] for i, h in enumerate(table.headers) if clean_header(h) in names}
    missing = [f for f in REQUIRED if f not in columns.values()]
    if missing:
        labels = "、".join(str(LABELS[f]) for f in missing)
        raise ValidationError(_("The workbook lacks the columns: %(columns)s.") % {"columns": labels})
    if len(table.rows) > MAX_ROWS:
        raise ValidationError(_("At most %(n)s contracts at a time.") % {"n": MAX_ROWS})
    clauses = {c.pk: c for c in ClauseItem.objects.all()}
    known = set(AnalysedContract.objects.values_list("project", "contractor"))
    rows, errors = [], []
    for number, values in table.rows:
        fields, present, problems = {}, [], []
        for index, field in columns.items():
            value = values[index]
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            try:
                if field.startswith("clause:"):
                    if _has_clause(value):
                        present.append(clauses[int(field.split(":")[1])])
                    continue
                fields[field] = _read(field, value, kinds)
            except (ValueError, KeyError, ArithmeticError, ValidationError):
                problems.append(_problem(field) if not field.startswith("clause:") else
                                _("a clause column holds neither ✓ nor ✗"))  # fmt: skip
        for field in REQUIRED:
            if field not in ("owner_kind", "amount", "starts_on", "ends_on") and not fields.get(field):
                problems.append(_("%(column)s is empty") % {"column": LABELS[field]})
        key = (fields.get("project"), fields.get("contractor"))
        if not problems and key in known:
            problems.append(_("this project with this contractor is already in the analysis"))
        known.add(key)
        if not problems:
            try:
                _check(fields)
            except ValidationError as refusal:
                problems.extend(refusal.messages)
        if problems:
            joined = pgettext("between problems", "; ").join(p.rstrip("。.") for p in problems)
            errors.append(_("Row %(row)s: %(problems)s.") % {"row": number, "problems": joined})
        rows.append((fields, present))
    if errors:
        raise ValidationError(errors[:50] + ([_("… and %(n)s more rows.") % {"n": len(errors) - 50}]
                                             if len(errors) > 50 else []))  # fmt: skip
    if not rows:
        raise ValidationError(_("The workbook has no contracts under its header row."))
    with transaction.atomic():
        return [analysed_add(actor=actor, clauses=present, at=at, **fields) for fields, present in rows]


def _check(fields: dict) -> None:
    """A row as the model would refuse it, before anything is written."""
    found = AnalysedContract(**fields)
    if found.ends_on <= found.starts_on:
        raise ValidationError(_("The completion date comes after the commencement date."))
    try:
        found.full_clean()
    except ValidationError as refusal:
        labels = {f.name: f.verbose_name for f in AnalysedContract._meta.fields}
        raise ValidationError([f"{labels.get(field, field)}: {message}" for field, messages in
                               refusal.message_dict.items() for message in messages]) from None  # fmt: skip
