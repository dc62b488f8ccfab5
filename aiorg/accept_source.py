"""The draft's source, as `aiorg accept` adds it: its record for the sources file and its article,
archived in `seeds/` beside the data directory (`file:` and `sha256:` set, so quotes are checked).
A source with the same id or url already there is used instead, unless it differs: then nothing
is merged."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiorg.accept_draft import Draft
from aiorg.accept_kb import Existing, Knowledge
from aiorg.errors import UsageError

_SAFE_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(slots=True)
class SourcePlan:
    """The source record to add (None when it is there already, or refused), the article to
    archive (None when already archived) and why the source cannot be merged."""

    record: dict[str, Any] | None = None
    seed: tuple[Path, bytes] | None = None
    problems: list[str] = field(default_factory=list)


def plan_source(known: Knowledge, draft: Draft, article: Path | None) -> SourcePlan:
    """What adding the draft's source means; raise UsageError when its article cannot be read."""
    source_id = str(draft.source["id"])
    source = {key: value for key, value in draft.source.items() if value is not None}
    if not _SAFE_FILE.fullmatch(source_id):
        return SourcePlan(problems=[f"source id {source_id!r}: use letters, digits, '.', '-', '_'"])
    text = _article(draft, article)
    digest = hashlib.sha256(text).hexdigest()
    same = [r for r in known.records.values() if r.kind == "sources" and _same_source(r.data, source)]
    if same:
        planned = SourcePlan()
        for existing in same:
            differences = _source_differences(existing, source, digest)
            if differences:
                where = f"{existing.file.path.name}, source {existing.data.get('id')!r}"
                message = f"the knowledge base already has this source ({where}) and it differs: {differences}"
                planned.problems.append(message + "; give the draft another --source-id, or fix it")
        return planned
    written = source.get("file")
    suffix = Path(str(written)).suffix if written and article is None else (article.suffix if article else "")
    seed = known.data_dir.parent / "seeds" / f"{source_id}{suffix or '.txt'}"
    if seed.exists() and seed.read_bytes() != text:
        return SourcePlan(problems=[f"{seed} exists with other text; it is not replaced"])
    holder = known.file_for("sources")
    folder = holder.path.parent if holder is not None else known.data_dir
    relative = Path(os.path.relpath(seed.resolve(), folder.resolve())).as_posix()
    record: dict[str, Any] = {}
    for key, value in source.items():
        if key != "sha256":
            record[key] = relative if key == "file" else value
        if key == "file":
            record["sha256"] = digest
    if "file" not in record:
        record |= {"file": relative, "sha256": digest}
    return SourcePlan(record, None if seed.exists() else (seed, text))


def _article(draft: Draft, article: Path | None) -> bytes:
    if article is None:
        written = draft.source.get("file")
        if not written:
            raise UsageError("the draft's source names no article file; give it with --article FILE")
        tried = [Path(str(written)), draft.path.parent / str(written)]
        article = next((path for path in tried if path.is_file()), tried[0])
    try:
        text = article.read_bytes()
        text.decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise UsageError(f"{article}: cannot read the article: {reason}; give it with --article FILE") from None
    return text


def _same_source(existing: dict[str, Any], source: dict[str, Any]) -> bool:
    if str(existing.get("id")) == str(source["id"]):
        return True
    return bool(source.get("url")) and str(existing.get("url")) == str(source.get("url"))


def _source_differences(existing: Existing, source: dict[str, Any], digest: str) -> str:
    differences = [
        f"{key} {existing.data[key]!r} here, {str(source[key])!r} in the draft"
        for key in ("id", "url", "published")
        if source.get(key) is not None and existing.data.get(key) is not None
        and str(existing.data[key]).strip("\"'") != str(source[key])
    ]  # fmt: skip
    archived = existing.data.get("file")
    if archived:
        try:
            same_text = hashlib.sha256((existing.file.path.parent / str(archived)).read_bytes()).hexdigest() == digest
        except OSError:
            same_text = True  # validate reports a missing text; the draft's quotes are checked against it then
        if not same_text:
            differences.append("its archived text is not the draft's article")
    return "; ".join(differences)
