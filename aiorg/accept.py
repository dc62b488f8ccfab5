"""Merge the candidates a reviewer kept in a draft (`aiorg draft`) into the knowledge base.

What `accept` does with a reviewed draft (see aiorg.accept_draft for the review marks):
- The draft's source is added to the sources file, with its article archived in `seeds/`
  beside the data directory (`file:` and `sha256:` set, so quotes are checked). A source with
  the same id or url already there is used instead, unless it differs: then nothing is merged.
- A kept candidate that matches a record already there (same id; a person, firm, group or
  product with one of its names, in either script; a spell with the same person and firm; a deal
  with the same kind, buyers and targets; a metric with the same subject, metric and date)
  becomes this source's claim on it: an `also:` item with the quote and the values the draft
  gives for that record's disputable fields. A deal status the record has not reached yet
  becomes a new history step, in date order; a status it has becomes an `also:` item on that step.
  A record that already cites this source is left as it is, so accepting twice adds nothing.
- Any other candidate is a new record with a stable id: the drafted id when it is a clean slug,
  else the slug of its Latin name, else `person-`/`firm-`... and eight hex digits of its folded
  name; never an id any record already has. References to the draft's own new ids follow.
The files are edited as text (aiorg.accept_yaml) and written by aiorg.accept_write: validated
on a staged copy first, then replaced atomically. This module never prints or exits.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from aiorg.accept_draft import Candidate, Draft, read_draft
from aiorg.accept_kb import (
    Existing,
    Knowledge,
    field_names,
    fold,
    is_slug,
    match_key,
    name_hash,
    names_of,
    ref_fields,
    slug,
)
from aiorg.accept_write import Plan, apply
from aiorg.accept_yaml import Origin, YamlFile, new_file_text, value_of
from aiorg.dates import DateParseError, FuzzyDate
from aiorg.errors import DataError, Problem, UsageError
from aiorg.model import DISPUTABLE, NAMED_KINDS, RECORD_KINDS
from aiorg.names import singular

_SAFE_FILE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_DEAL_VALUES = ("amount", "valuation", "stake")


@dataclass(slots=True)
class Outcome:
    """What a merge did (or, with dry_run, would do)."""

    added: list[str] = field(default_factory=list)  # ids of new records
    claimed: list[str] = field(default_factory=list)  # ids of records given this source's claim
    already: list[str] = field(default_factory=list)  # ids of records that already cite this source
    rejected: int = 0
    pending: int = 0
    source_added: bool = False
    files: list[Path] = field(default_factory=list)  # data files changed or created
    seed: Path | None = None  # the article, archived by this merge


def accept(
    data_dir: Path, draft_path: Path, article: Path | None = None, skip_pending: bool = False, dry_run: bool = False
) -> Outcome:
    """Merge a reviewed draft into `data_dir`; raise DataError (nothing written) if the merged
    knowledge base would not validate, or the draft cannot be merged."""
    draft = read_draft(draft_path, skip_pending)
    known = Knowledge.read(data_dir)
    merge = _Merge(known, draft)
    plan = merge.run(article)
    apply(data_dir, plan, dry_run)
    return merge.outcome


class _Merge:
    def __init__(self, known: Knowledge, draft: Draft) -> None:
        self.known, self.draft = known, draft
        self.source_id = str(draft.source["id"])
        self.outcome = Outcome(rejected=draft.rejected, pending=draft.pending)
        self.problems: list[Problem] = []
        self.mapping: dict[str, str] = {}  # draft id -> id in the knowledge base
        self.new: dict[str, list[dict[str, Any]]] = {}  # kind -> new records
        self.new_ids: set[str] = set()
        self.also: dict[int, tuple[YamlFile, yaml.MappingNode, list[dict[str, Any]]]] = {}
        self.steps: dict[tuple[int, int], tuple[YamlFile, yaml.SequenceNode, list[dict[str, Any]]]] = {}
        self.seed: tuple[Path, bytes] | None = None
        self.line: int | None = None  # the draft line of the candidate being merged
        self.tags: dict[int, int | None] = {}  # id() of each item written -> its candidate's draft line

    def run(self, article: Path | None) -> Plan:
        self.line = self.draft.source_line
        self._source(article)
        named = [c for c in self.draft.kept if c.kind in NAMED_KINDS]
        for candidate in sorted(named, key=lambda c: NAMED_KINDS.index(c.kind)):
            self.line = candidate.line
            self._named(candidate)
        for candidate in self.draft.kept:
            if candidate.kind not in NAMED_KINDS:
                self.line = candidate.line
                self._dependent(candidate)
        for candidate in named:  # a firm's parent or a product's maker may be new too
            self._check_refs(candidate, self._mapped(candidate)[0])
        if self.problems:
            raise DataError(self.problems)
        return self._plan()

    # --- the source ------------------------------------------------------------------------

    def _source(self, article: Path | None) -> None:
        source = {key: value for key, value in self.draft.source.items() if value is not None}
        if not _SAFE_FILE.fullmatch(self.source_id):
            self._problem(self.draft.source_line, f"source id {self.source_id!r}: use letters, digits, '.', '-', '_'")
            return
        text = self._article(article)
        digest = hashlib.sha256(text).hexdigest()
        same = [r for r in self.known.records.values() if r.kind == "sources" and _same_source(r.data, source)]
        if same:
            for existing in same:
                differences = _source_differences(existing, source, digest)
                if differences:
                    where = f"{existing.file.path.name}, source {existing.data.get('id')!r}"
                    message = f"the knowledge base already has this source ({where}) and it differs: {differences}"
                    self._problem(self.draft.source_line, message + "; give the draft another --source-id, or fix it")
            return
        written = source.get("file")
        suffix = Path(str(written)).suffix if written and article is None else (article.suffix if article else "")
        seed = self.known.data_dir.parent / "seeds" / f"{self.source_id}{suffix or '.txt'}"
        if seed.exists() and seed.read_bytes() != text:
            self._problem(self.draft.source_line, f"{seed} exists with other text; it is not replaced")
            return
        holder = self.known.file_for("sources")
        folder = holder.path.parent if holder is not None else self.known.data_dir
        relative = Path(os.path.relpath(seed.resolve(), folder.resolve())).as_posix()
        record: dict[str, Any] = {}
        for key, value in source.items():
            if key != "sha256":
                record[key] = relative if key == "file" else value
            if key == "file":
                record["sha256"] = digest
        if "file" not in record:
            record |= {"file": relative, "sha256": digest}
        self._add("sources", record)
        self.outcome.source_added = True
        self.seed = None if seed.exists() else (seed, text)
        self.outcome.seed = seed if self.seed else None

    def _article(self, article: Path | None) -> bytes:
        if article is None:
            written = self.draft.source.get("file")
            if not written:
                raise UsageError("the draft's source names no article file; give it with --article FILE")
            tried = [Path(str(written)), self.draft.path.parent / str(written)]
            article = next((path for path in tried if path.is_file()), tried[0])
        try:
            text = article.read_bytes()
            text.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            reason = getattr(error, "strerror", None) or error
            raise UsageError(f"{article}: cannot read the article: {reason}; give it with --article FILE") from None
        return text

    # --- named records -----------------------------------------------------------------------

    def _named(self, candidate: Candidate) -> None:
        data, draft_id = candidate.record, str(candidate.record.get("id", ""))
        existing = self.known.records.get(draft_id)
        if existing is not None and existing.kind == candidate.kind:
            target: str | None = draft_id
        else:
            matches: set[str] = set()
            for name in names_of(data):
                matches |= self.known.names.get((candidate.kind, fold(name)), set())
            if len(matches) > 1:
                listed = ", ".join(sorted(matches))
                message = f"its names match several {candidate.kind} ({listed}); set its id to the one it is"
                self._problem(candidate.line, message)
                return
            target = next(iter(matches), None)
        if target is not None:
            self.mapping[draft_id] = target
            self._claim(candidate, target, data)
            return
        new_id = self.known.fresh_id(_named_base(candidate.kind, draft_id, data))
        self.mapping[draft_id] = new_id
        self._add(candidate.kind, {"id": new_id, **{k: v for k, v in data.items() if k != "id"}})

    # --- spells, deals, metrics and the rest -------------------------------------------------

    def _mapped(self, candidate: Candidate) -> tuple[dict[str, Any], bool]:
        """The candidate with its references to the draft's new records mapped to their ids."""
        data, changed = dict(candidate.record), False
        for name in ref_fields(candidate.kind):
            value = data.get(name)
            if value is None:
                continue
            values = [str(v) for v in (value if isinstance(value, list) else [value])]
            mapped = [self._resolved(v, RECORD_KINDS[candidate.kind], name) for v in values]
            changed = changed or mapped != values
            data[name] = mapped if isinstance(value, list) else mapped[0]
        return data, changed

    def _resolved(self, value: str, cls: type, name: str) -> str:
        """A reference as the knowledge base has it: a draft id mapped, or a name (the draft writes
        a new person's name where it has no id) resolved to the one record of its kinds so called."""
        if value in self.mapping or value in self.known.ids:
            return self.mapping.get(value, value)
        kinds = next(f.metadata["ref"] for f in fields(cls) if f.name == name)
        found = set().union(*(self.known.names.get((kind, fold(value)), set()) for kind in kinds))
        return found.pop() if len(found) == 1 else value

    def _check_refs(self, candidate: Candidate, data: dict[str, Any]) -> bool:
        fine = True
        for name in ref_fields(candidate.kind):
            value = data.get(name)
            for ref in value if isinstance(value, list) else [] if value is None else [value]:
                if str(ref) not in self.known.ids:
                    message = f"{name}: {ref!r} is neither in the knowledge base nor kept in this draft"
                    self._problem(candidate.line, message)
                    fine = False
        return fine

    def _dependent(self, candidate: Candidate) -> None:
        kind = candidate.kind
        data, changed = self._mapped(candidate)
        if not self._check_refs(candidate, data):
            return
        draft_id = str(data.get("id", ""))
        key = match_key(kind, data)
        if key is None:
            existing = self.known.records.get(draft_id)
            hits = [draft_id] if existing is not None and existing.kind == kind else []
        else:
            hits = list(dict.fromkeys(self.known.keys.get(key, [])))
            if draft_id in hits:
                hits = [draft_id]
        if len(hits) > 1:
            self._problem(candidate.line, f"matches several {kind} ({', '.join(hits)}); set its id to the one it is")
            return
        if hits:
            self._claim(candidate, hits[0], data)
            return
        clean = not changed and is_slug(draft_id) and not re.search(r"(^|-)new-", draft_id)
        new_id = self.known.fresh_id(draft_id if clean else _derived_id(kind, data))
        self._add(kind, {"id": new_id, **{k: v for k, v in data.items() if k != "id"}})

    # --- claims on records already there -----------------------------------------------------

    def _claim(self, candidate: Candidate, target: str, data: dict[str, Any]) -> None:
        existing = self.known.records.get(target)
        if target in self.new_ids or existing is None:
            self.outcome.already.append(target)
            return
        if candidate.kind == "deals":
            done = self._claim_deal(existing, data)
        elif self.source_id in existing.sources() or id(existing.node) in self.also:
            done = False
        else:
            self._also(existing.file, existing.node, _attestation(self.source_id, candidate.kind, data))
            done = True
        (self.outcome.claimed if done else self.outcome.already).append(target)

    def _claim_deal(self, deal: Existing, data: dict[str, Any]) -> bool:
        history = list(deal.data.get("history") or [])
        node = value_of(deal.node, "history")
        done = False
        for step in data.get("history") or []:
            status = str(step.get("status"))
            at = next((i for i, h in enumerate(history) if str(h.get("status")) == status), None)
            claim = {"source": self.source_id, "quote": step.get("quote", data.get("quote"))}
            if at is not None and isinstance(node, yaml.SequenceNode) and at < len(node.value):
                cited = {str(history[at].get("source"))}
                cited |= {str(a.get("source")) for a in history[at].get("also") or [] if isinstance(a, dict)}
                if self.source_id in cited:
                    continue
                claim |= {k: step[k] for k in ("date", "certainty") if step.get(k) is not None}
                self._also(deal.file, node.value[at], claim)
                history[at] = {**history[at], "also": [claim]}
            elif at is None and isinstance(node, yaml.SequenceNode) and not node.flow_style:
                new_step = {
                    k: step[k] for k in ("date", "status", "certainty", "inferred", "note") if step.get(k) is not None
                }
                new_step |= claim
                position = _position(history[: len(node.value)], step.get("date"))
                entry = self.steps.setdefault((id(node), position), (deal.file, node, []))
                entry[2].append(new_step)
                self.tags[id(new_step)] = self.line
                history.append({"status": status, "source": self.source_id})
            else:
                continue
            done = True
        values = {k: data[k] for k in _DEAL_VALUES if data.get(k) is not None}
        if values and self.source_id not in deal.sources() and id(deal.node) not in self.also:
            self._also(deal.file, deal.node, {"source": self.source_id, "quote": data.get("quote"), **values})
            done = True
        return done

    def _also(self, yaml_file: YamlFile, node: yaml.Node, item: dict[str, Any]) -> None:
        assert isinstance(node, yaml.MappingNode)
        self.also.setdefault(id(node), (yaml_file, node, []))[2].append(item)
        self.tags[id(item)] = self.line

    # --- the plan ----------------------------------------------------------------------------

    def _add(self, kind: str, record: dict[str, Any]) -> None:
        self.new.setdefault(kind, []).append(record)
        self.tags[id(record)] = self.line
        self.new_ids.add(str(record["id"]))
        self.known.index(kind, record, str(record["id"]))
        if kind != "sources":
            self.outcome.added.append(str(record["id"]))

    def _problem(self, line: int | None, message: str) -> None:
        self.problems.append(self.draft.problem(line, message))

    def _plan(self) -> Plan:
        order = 0

        def tags(items: list[dict[str, Any]]) -> list[int | None]:
            return [self.tags.get(id(item)) for item in items]

        for yaml_file, node, items in self.also.values():
            yaml_file.add_also(node, items, order := order + 1, tags(items))
        for (_, position), (yaml_file, history, steps) in self.steps.items():
            for step in steps:
                if position < len(history.value):
                    yaml_file.insert_item_before(history, position, step, order := order + 1, self.tags.get(id(step)))
                else:
                    yaml_file.append_items(history, [step], order := order + 1, tags([step]))
        texts: dict[Path, str] = {}
        origins: dict[Path, list[Origin]] = {}
        for kind, records in self.new.items():
            holder = self.known.file_for(kind)
            sequence = holder.kinds.get(kind) if holder is not None else None
            if holder is not None and sequence is not None and not sequence.flow_style and sequence.value:
                holder.append_items(sequence, records, order := order + 1, tags(records))
                continue
            path = self.known.data_dir / f"{kind}.yaml"
            if holder is not None or path.exists():
                shown = holder.path if holder is not None else path
                raise DataError(
                    [Problem(str(shown), None, None, f"its {kind!r} list is empty or inline; write it as a block list")]
                )
            note = f"{kind}, first added by aiorg accept from {self.source_id}"
            texts[path], origins[path] = new_file_text(kind, records, note, tags(records))
        for yaml_file in self.known.files:
            if yaml_file.insertions:
                texts[yaml_file.path], origins[yaml_file.path] = yaml_file.edited(), yaml_file.origins()
        self.outcome.files = sorted(texts)
        return Plan(texts, self.seed, origins, self.draft.display)


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


def _named_base(kind: str, draft_id: str, data: dict[str, Any]) -> str:
    if is_slug(draft_id) and not draft_id.startswith("new-"):
        return draft_id
    names = names_of(data)
    for name in names:
        latin = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        if latin and len(latin) * 2 >= len(name) and slug(latin) and all(ord(c) < 0x2E80 for c in name):
            return slug(latin)
    return f"{singular(kind)}-{name_hash(names[0] if names else draft_id)}"


def _derived_id(kind: str, data: dict[str, Any]) -> str:
    if kind == "tenures":
        cause = data.get("end_cause")
        return "-".join(str(p) for p in (data.get("person"), data.get("firm"), cause) if p)
    if kind == "deals":
        return "-".join([*(data.get("buyers") or ["unknown"]), *(data.get("targets") or []), str(data.get("kind"))])
    if kind == "metrics":
        return f"{data.get('subject')}-{data.get('metric')}"
    quote = data.get("quote")
    return f"{singular(kind)}-{name_hash(str(quote))}"


def _attestation(source_id: str, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """This source's claim on a record: its quote and the values it gives for disputable fields."""
    own = field_names(RECORD_KINDS[kind])
    values = {name: data[name] for name in DISPUTABLE if name in own and data.get(name) is not None}
    return {"source": source_id, "quote": data.get("quote"), **values}


def _position(history: list[dict[str, Any]], date: Any) -> int:
    """Where a new step dated `date` goes in a history kept oldest first: before the first later step."""
    if date is None:
        return len(history)
    try:
        when = FuzzyDate.parse(str(date))
        for index, step in enumerate(history):
            if step.get("date") is not None and when.before(FuzzyDate.parse(str(step["date"]).strip("\"'"))):
                return index
    except DateParseError:
        pass
    return len(history)
