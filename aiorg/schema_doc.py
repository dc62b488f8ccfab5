"""Field reference tables for docs/data-format.md, generated from the model.

Run `python -m aiorg.schema_doc` to print them; a test keeps the doc in sync.
"""

from __future__ import annotations

import dataclasses
import typing
from enum import Enum

from aiorg.model import RECORD_TYPES, Attestation, Condition, StatusEntry


def _type_name(hint: typing.Any) -> str:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if typing.get_origin(hint) is list:
        return f"list of {_type_name(args[0])}"
    if args and len(args) == 1:
        return _type_name(args[0])
    if isinstance(hint, type) and issubclass(hint, Enum):
        return " \\| ".join(m.value for m in hint)
    return {"FuzzyDate": "date", "Money": "money", "str": "text", "float": "number", "bool": "true/false"}.get(
        getattr(hint, "__name__", str(hint)), getattr(hint, "__name__", str(hint))
    )


def field_table(cls: type) -> str:
    """A markdown table of one record type's fields."""
    hints = typing.get_type_hints(cls)
    lines = ["| field | type | required | meaning |", "|---|---|---|---|"]
    for f in dataclasses.fields(cls):
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        refs = f.metadata.get("ref", ())
        kind = _type_name(hints[f.name]) + (f" (id of {' or '.join(refs)})" if refs else "")
        lines.append(f"| `{f.name}` | {kind} | {'yes' if required else ''} | {f.metadata.get('doc', '')} |")
    return "\n".join(lines)


def reference() -> str:
    """All field tables, one section per record kind."""
    sections = []
    inside = {StatusEntry: "inside a deal", Condition: "inside a deal", Attestation: "an item of any record's `also`"}
    for cls in (*RECORD_TYPES, StatusEntry, Condition, Attestation):
        heading = f"`{cls.KIND}`" if hasattr(cls, "KIND") else f"{cls.__name__} ({inside[cls]})"
        sections.append(f"### {heading}\n\n{(cls.__doc__ or '').strip()}\n\n{field_table(cls)}\n")
    return "\n".join(sections)


if __name__ == "__main__":
    print(reference())
