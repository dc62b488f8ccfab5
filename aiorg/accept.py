"""Merge the candidates a reviewer kept in a draft (`aiorg draft`) into the knowledge base.

What `accept` does with a reviewed draft (see aiorg.accept_draft for the review marks):
- The draft's source is added to the sources file, its article archived (aiorg.accept_source).
- A kept candidate that matches a record already there (same id; a person, firm, group or
  product with one of its names, in either script; a spell with the same person and firm; a deal
  with the same kind, buyers and targets; a metric with the same subject, metric and date)
  becomes this source's claim on it: an `also:` item with the quote, the values the draft gives
  for that record's disputable fields, and its note. A candidate that says more than such a claim
  can carry, or that may be another record (a named one with none of the record's names, a spell
  that `replaces` the one matched, a deal with an id of its own and other values, a candidate
  whose id is the matched record's numbered, `x-2`, and says something else) is refused as a
  located problem: aiorg.accept_match; a candidate matching a record this draft adds is checked
  the same way, and is refused too when it gives any value (a name, a deal step) that record lacks
  or has otherwise, whatever its id (a source cannot dispute itself: merge the two candidates);
  it is counted as already there only when it says nothing else. A deal's status step goes by status and date
  (aiorg.accept_steps): a step already there gets an `also:` item, a new one goes in date order.
  A record that already cites this source is left as it is, so accepting twice adds nothing.
- Any other candidate is a new record with a stable id: the drafted id when it is a clean slug,
  else the slug of its Latin name, else `person-`/`firm-`... and eight hex digits of its folded
  name; never an id any record already has. References to the draft's own new ids follow.
The files are edited as text (aiorg.accept_yaml) and written by aiorg.accept_write: validated
on a staged copy first, then replaced atomically. This module never prints or exits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from aiorg.accept_draft import Candidate, Draft, read_draft
from aiorg.accept_kb import (
    Existing,
    Knowledge,
    derived_id,
    fold,
    is_slug,
    match_key,
    named_id,
    names_of,
    ref_fields,
)
from aiorg.accept_match import (
    another_deal,
    another_spell,
    attestation,
    field_problems,
    name_problems,
    numbered_in_draft,
    numbered_name,
    numbered_spell,
    same_draft,
)
from aiorg.accept_source import plan_source
from aiorg.accept_steps import Placement, cited, date_of, place, same_step, step_problems, undated_step
from aiorg.accept_write import Plan, apply
from aiorg.accept_yaml import Origin, YamlFile, new_file_text, value_of
from aiorg.dates import FuzzyDate
from aiorg.errors import DataError, Problem
from aiorg.model import NAMED_KINDS, RECORD_KINDS


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
        self.added: dict[str, dict[str, Any]] = {}  # id -> a record this merge adds
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
        planned = plan_source(self.known, self.draft, article)
        for message in planned.problems:
            self._problem(self.draft.source_line, message)
        if planned.record is not None:
            self._add("sources", planned.record)
            self.outcome.source_added = True
            self.seed = planned.seed
            self.outcome.seed = planned.seed[0] if planned.seed else None

    # --- named records -----------------------------------------------------------------------

    def _named(self, candidate: Candidate) -> None:
        data, draft_id = candidate.record, str(candidate.record.get("id", ""))
        existing = self.known.records.get(draft_id)
        by_id = existing is not None and existing.kind == candidate.kind
        if by_id:
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
            matched = self._data(target)
            if matched is not None and self._refused(
                numbered_name(candidate.kind, draft_id, matched, target in self.new_ids)
            ):
                return
        if target is not None:
            record = self.known.records.get(target)
            if record is not None and target not in self.new_ids:
                refused = name_problems(candidate.kind, data, record, by_id)
                if refused:
                    for message in refused:
                        self._problem(candidate.line, message)
                    return
            self.mapping[draft_id] = target
            self._claim(candidate, target, data)
            return
        new_id = self.known.fresh_id(named_id(candidate.kind, draft_id, data))
        self.mapping[draft_id] = new_id
        self._add(candidate.kind, {"id": new_id, **{k: v for k, v in data.items() if k != "id"}})

    # --- spells, deals, metrics and the rest -------------------------------------------------

    def _mapped(self, candidate: Candidate) -> tuple[dict[str, Any], bool]:
        """The candidate with its references to the draft's new records mapped to their ids."""
        return self._refs(candidate.kind, candidate.record)

    def _refs(self, kind: str, record: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """`record` with its references mapped (`_resolved`); True when that changed one."""
        data, changed = dict(record), False
        for name in ref_fields(kind):
            value = data.get(name)
            if value is None:
                continue
            values = [str(v) for v in (value if isinstance(value, list) else [value])]
            mapped = [self._resolved(v, RECORD_KINDS[kind], name) for v in values]
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
            hits = [hit for hit in hits if not self._another_spell(kind, data, hit)]
            if kind == "deals":  # a numbered second deal of this draft (numbered_in_draft)
                ids = [draft_id, derived_id(kind, data)]
                hits = [h for h in hits if h not in self.added or not self._second(ids, data, h)]
        if len(hits) > 1:
            self._problem(candidate.line, f"matches several {kind} ({', '.join(hits)}); set its id to the one it is")
            return
        if hits and self._refused(self._another(kind, draft_id, data, hits[0])):
            return
        if hits:
            self._claim(candidate, hits[0], data)
            if draft_id:  # a later candidate naming it (a spell's `after`) names that record
                self.mapping[draft_id] = hits[0]
            return
        clean = not changed and is_slug(draft_id) and not re.search(r"(^|-)new-", draft_id)
        new_id = self.known.fresh_id(draft_id if clean else derived_id(kind, data))
        if draft_id:
            self.mapping[draft_id] = new_id
        self._add(kind, {"id": new_id, **{k: v for k, v in data.items() if k != "id"}})

    def _second(self, ids: list[str], data: dict[str, Any], hit: str) -> bool:
        bases = [draft for draft, new in self.mapping.items() if new == hit] + [hit, ids[1]]
        return numbered_in_draft(ids[0], bases, self._refs("deals", data)[0], self._refs("deals", self.added[hit])[0])

    def _another_spell(self, kind: str, data: dict[str, Any], hit: str) -> bool:
        """True when the candidate certainly is another spell than the record `hit` it matched."""
        record = self._data(hit)
        return kind == "tenures" and record is not None and another_spell(data, record, self._data)

    def _another(self, kind: str, draft_id: str, data: dict[str, Any], hit: str) -> list[str]:
        """Why the deal or spell candidate may be another record than `hit`, the one it matched."""
        record, new, derived = self._data(hit), hit in self.new_ids, derived_id(kind, data)
        if record is None or kind not in ("deals", "tenures"):
            return []
        why = (another_deal if kind == "deals" else numbered_spell)(draft_id, derived, data, record, new)
        return [why] if why else []

    def _data(self, record_id: str | None) -> dict[str, Any] | None:
        """The plain values of a record, already there or added by this merge."""
        if record_id in self.added:
            return self.added[record_id]
        existing = self.known.records.get(record_id) if record_id is not None else None
        return existing.data if existing is not None else None

    # --- claims on records already there -----------------------------------------------------

    def _claim(self, candidate: Candidate, target: str, data: dict[str, Any]) -> None:
        existing, added = self.known.records.get(target), self.added.get(target)
        if added is not None:  # one this draft adds: a source cannot dispute itself
            why = same_draft(candidate.kind, self._refs(candidate.kind, data)[0], self._refs(candidate.kind, added)[0])
            if not self._refused([why] if why else []):
                self.outcome.already.append(target)
            return
        if existing is None:
            self.outcome.already.append(target)
            return
        if candidate.kind == "deals":
            done = self._claim_deal(existing, data)
        elif self.source_id in existing.sources() or id(existing.node) in self.also:
            done = False
        elif self._refused(field_problems(candidate.kind, data, existing)):
            return
        else:
            self._also(existing.file, existing.node, attestation(self.source_id, candidate.kind, data))
            done = True
        (self.outcome.claimed if done else self.outcome.already).append(target)

    def _refused(self, problems: list[str]) -> bool:
        for message in problems:
            self._problem(self.line, message)
        return bool(problems)

    def _claim_deal(self, deal: Existing, data: dict[str, Any]) -> bool:
        """This source's steps and values for a deal already there; False when it adds nothing."""
        history = list(deal.data.get("history") or [])
        node = value_of(deal.node, "history")
        steps = [step for step in data.get("history") or [] if isinstance(step, dict)]
        if steps and (not isinstance(node, yaml.SequenceNode) or node.flow_style):
            shown = f"{deal.file.path.name}, deal {deal.data.get('id')!r}"
            return not self._refused([f"its history is not a block list ({shown}); write it as one to add a step"])
        problems = field_problems("deals", data, deal) if self.source_id not in deal.sources() else []
        count = len(node.value) if isinstance(node, yaml.SequenceNode) else 0
        placed: list[tuple[dict[str, Any], Placement]] = []
        for step in steps:
            if any(same_step(h, step) and self.source_id in cited(h) for h in history[:count]):
                continue  # accepted before
            where = place(history[:count], step, self._published, date_of(self.draft.source.get("published")))
            if isinstance(where, str):
                problems.append(where)
            elif where.also and self.source_id not in cited(history[where.at]):
                problems += [f"its {step.get('status')} step: {p}" for p in step_problems(step)]
                placed.append((step, where))
                history[where.at] = {**history[where.at], "also": [{"source": self.source_id}]}
            elif not where.also:
                placed.append((step, where))
        if self._refused(problems):
            return False
        for step, where in placed:
            assert isinstance(node, yaml.SequenceNode)
            claim = {"source": self.source_id, "quote": step.get("quote", data.get("quote"))}
            if where.also:
                claim |= {k: step[k] for k in ("date", "certainty", "note") if step.get(k) is not None}
                self._also(deal.file, node.value[where.at], claim)
                continue
            kept = ("date", "status", "certainty", "inferred", "note", "reported_by")
            new_step = {k: step[k] for k in kept if step.get(k) not in (None, [])}
            between = undated_step(history[: where.at], self.draft.source.get("published"), new_step)
            if between:  # not the last dated step's date by default: the dates it lies between
                new_step = {"date": between["date"], **new_step, "inferred": between["inferred"]}
            new_step |= claim
            entry = self.steps.setdefault((id(node), where.at), (deal.file, node, []))
            entry[2].append(new_step)
            self.tags[id(new_step)] = self.line
        values = attestation(self.source_id, "deals", data)
        fresh = self.source_id not in deal.sources() and id(deal.node) not in self.also
        if len(values) > 2 and fresh:
            self._also(deal.file, deal.node, values)
        return bool(placed) or (len(values) > 2 and fresh)

    def _published(self, step: dict[str, Any]) -> FuzzyDate | None:
        """When the newest source citing a step was published (None when one gives no date)."""
        dates: list[FuzzyDate] = []
        for source in cited(step):
            record = self.known.records.get(source)
            when = date_of(record.data.get("published")) if record is not None and record.kind == "sources" else None
            if when is None:
                return None
            dates.append(when)
        return max(dates, key=lambda d: d.sort_key()[::-1]) if dates else None

    def _also(self, yaml_file: YamlFile, node: yaml.Node, item: dict[str, Any]) -> None:
        assert isinstance(node, yaml.MappingNode)
        self.also.setdefault(id(node), (yaml_file, node, []))[2].append(item)
        self.tags[id(item)] = self.line

    # --- the plan ----------------------------------------------------------------------------

    def _add(self, kind: str, record: dict[str, Any]) -> None:
        self.new.setdefault(kind, []).append(record)
        self.added[str(record["id"])] = record
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
