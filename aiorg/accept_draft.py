"""A reviewed draft, as `aiorg accept` reads it: its source and the candidates the reviewer kept.

How a reviewer marks a candidate (the draft's header comment and `aiorg accept --help` say so too):
- `review: accept` keeps it, with whatever corrections were made to its fields;
- `review: reject`, or deleting the candidate from the file, leaves it out;
- `review: pending` (as drafted) stops the merge, unless `--skip-pending` leaves those out too;
- a record with no `review` key is kept, as if marked accept (a record typed in by hand).
The review-only keys (review, offset, confidence) never reach the knowledge base.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aiorg.accept_yaml import load_draft
from aiorg.datafiles import display_path
from aiorg.errors import DataError, Problem, UsageError
from aiorg.model import RECORD_KINDS

#: keys that only a draft has: dropped from every kept candidate
REVIEW_KEYS = ("review", "offset", "confidence")
ACCEPT, REJECT, PENDING = "accept", "reject", "pending"
MARKS = (ACCEPT, REJECT, PENDING)


@dataclass(slots=True)
class Candidate:
    """One kept candidate: its kind, its fields (review keys dropped) and its line in the draft."""

    kind: str
    record: dict[str, Any]
    line: int | None


@dataclass(slots=True)
class Draft:
    """A reviewed draft."""

    path: Path
    display: str
    source: dict[str, Any]
    source_line: int | None
    kept: list[Candidate] = field(default_factory=list)
    rejected: int = 0
    pending: int = 0  # left out with skip_pending

    def problem(self, line: int | None, message: str) -> Problem:
        """A problem located in the draft file."""
        return Problem(self.display, line, None, message)


def read_draft(path: Path, skip_pending: bool = False) -> Draft:
    """Read a reviewed draft; raise DataError with every problem located in it."""
    display = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{display}: cannot read the draft: {getattr(error, 'strerror', None) or error}") from None
    try:
        data, lines = load_draft(text)
    except yaml.YAMLError as error:
        raise DataError([Problem(display, None, None, f"not valid YAML: {error}")]) from None
    if not isinstance(data, dict) or not isinstance(data.get("sources"), list) or len(data["sources"]) != 1:
        raise DataError([Problem(display, None, None, "a draft has a 'sources' list with exactly one source")])
    source = data["sources"][0]
    if not isinstance(source, dict) or not source.get("id"):
        raise DataError([Problem(display, None, None, "the draft's source has no id")])
    draft = Draft(path, display, dict(source), lines.get(id(source)))
    problems: list[Problem] = []
    pending_lines: list[int | None] = []
    for kind, records in data.items():
        if kind == "sources":
            continue
        if kind not in RECORD_KINDS or not isinstance(records, list):
            problems.append(draft.problem(None, f"{kind!r} is not a list of a record kind"))
            continue
        for record in records:
            line = lines.get(id(record))
            if not isinstance(record, dict):
                problems.append(draft.problem(line, f"an item of {kind!r} is not a record"))
                continue
            mark = str(record.get("review", ACCEPT)).strip().lower()
            if mark not in MARKS:
                problems.append(draft.problem(line, f"review: {mark!r} is not one of {', '.join(MARKS)}"))
            elif mark == REJECT:
                draft.rejected += 1
            elif mark == PENDING:
                pending_lines.append(line)
            elif record.get("source") != source["id"]:
                message = f"source {record.get('source')!r} is not the draft's source {source['id']!r}"
                problems.append(draft.problem(line, message))
            else:
                kept = {key: value for key, value in record.items() if key not in REVIEW_KEYS}
                draft.kept.append(Candidate(kind, kept, line))
    if pending_lines and skip_pending:
        draft.pending = len(pending_lines)
    elif pending_lines:
        shown = ", ".join(str(line) for line in pending_lines[:10]) + (" ..." if len(pending_lines) > 10 else "")
        message = (
            f"{len(pending_lines)} candidates are still 'review: pending' (lines {shown}); mark each"
            " 'review: accept' or 'review: reject' (or delete it), or pass --skip-pending to leave them out"
        )
        problems.append(draft.problem(pending_lines[0], message))
    if problems:
        raise DataError(problems)
    return draft
