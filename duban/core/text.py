"""Text that every file format can hold.

XML 1.0 (every .xlsx and .docx, Open311's XML) forbids the control characters other than tab,
line feed and carriage return, lone surrogates (which UTF-8 cannot even encode) and U+FFFE/U+FFFF.
Pasted text brings them in (a vertical tab from Word, a backspace from a terminal), and a JSON
body can carry `"\\ud800"`. Once stored, such a character made every download holding the text
fail. So they are removed where text comes in: `TextInputMiddleware` for forms and Open311 posts,
`duban.api.TextParser` for the API, `ledger.imports` for cells; and, for whatever else calls a
service, `clean_instance` on every model's text and JSON fields before a row is checked
(`BaseModel.clean_fields`) or written (`pre_save` for every model, `duban.core.bulk` for rows
written in bulk). They are removed again where text goes out to a file (`exports`, `official`,
Open311's XML), for what was stored before.
"""

from __future__ import annotations

import functools
import re

from django.db import models

# Tab, line feed and carriage return stay; so does every other character XML 1.0 allows.
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# The same but NUL, which no one types: forms refuse it ("Null characters are not allowed.").
XML_FORBIDDEN_BUT_NUL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# A download's file name goes into a header: no control character at all, no path.
NAME_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff/\\\\]")
TEXT_FIELDS = (models.CharField, models.TextField)


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return XML_FORBIDDEN.sub("", text) if XML_FORBIDDEN.search(text) else text


def xml_safe_data(value):
    """Every string in a JSON-like value (dict keys included) made `xml_safe`."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {xml_safe_data(key): xml_safe_data(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [xml_safe_data(item) for item in value]
    return value


def download_name(name: str) -> str:
    """A file name fit for Content-Disposition, whatever text it was built from."""
    return NAME_FORBIDDEN.sub("", name).strip() or "download"


@functools.cache
def _text_attributes(model: type[models.Model]) -> tuple[list[str], list[str]]:
    fields = model._meta.concrete_fields
    return (
        [field.attname for field in fields if isinstance(field, TEXT_FIELDS)],
        [field.attname for field in fields if isinstance(field, models.JSONField)],
    )


def clean_instance(instance: models.Model) -> None:
    """Strip what XML 1.0 forbids from the text (and JSON) fields of `instance`, in place."""
    text, data = _text_attributes(type(instance))
    values = instance.__dict__
    for name in text:
        value = values.get(name)
        if isinstance(value, str) and XML_FORBIDDEN.search(value):
            values[name] = XML_FORBIDDEN.sub("", value)
    for name in data:
        value = values.get(name)
        if value:
            values[name] = xml_safe_data(value)


def clean_before_save(sender, instance, raw=False, **kwargs) -> None:
    """`pre_save` receiver for every model (connected in CoreConfig.ready); fixtures load as they are."""
    if not raw:
        clean_instance(instance)
