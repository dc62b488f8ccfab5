"""Every command a user runs, as benchmarked, with the target group each one is held to.

Ids and names come from benchmarks/generate.py: firm-N and person-N exist at every size (there
are at least ten firms), English names use pinyin surnames such as Wang, Chinese names use
surnames such as 张, and firms.yaml gives every firm country CN or US.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

# Target groups (issue 12): warm time against the import floor, and what else is checked.
QUERY = "query"  # listings, profiles, search, stats, deals, timeline, flows: warm <= 2x floor
GRAPH = "graph"  # path and strategy --matrix: warm <= 4x floor
VALIDATE = "validate"  # warm <= 20x floor
EXPORT = "export"  # whole command <= 40x floor, peak RSS <= 1536 MB


@dataclass(frozen=True)
class Command:
    """One benchmarked command line; `out` names the file an export writes, deleted before each run."""

    name: str
    args: tuple[str, ...]
    group: str
    out: str | None = None

    def argv(self, aiorg: list[str], data: Path, out_dir: Path) -> list[str]:
        """The process to start, reading the knowledge base in `data`."""
        args = list(self.args)
        if self.out is not None:
            args.append(str(out_dir / self.out))
        return [*aiorg, "--data", str(data), *args]

    @property
    def label(self) -> str:
        """The command as a user types it, without --data."""
        shown = " ".join(self.args)
        return f"{shown} OUT" if self.out is not None else shown


COMMANDS: tuple[Command, ...] = (
    Command("people", ("people", "--left", "firm-3"), QUERY),
    Command("person", ("person", "person-5"), QUERY),
    Command("firm", ("firm", "firm-3"), QUERY),
    # Half the firms (country is CN or US at random): a realistic long listing.
    Command("firms", ("firms", "--country", "CN"), QUERY),
    Command("deals", ("deals", "--min", "10e9"), QUERY),
    Command("timeline", ("timeline", "--firm", "firm-3"), QUERY),
    Command("search-latin", ("search", "Wang"), QUERY),
    Command("search-cjk", ("search", "张"), QUERY),
    Command("flows", ("flows", "--from", "firm-3"), QUERY),
    Command("stats", ("stats",), QUERY),
    # Each listing without a filter too: a user's first question is often the plain command,
    # and a table shows its first page (the whole answer is JSON's job).
    Command("people-all", ("people",), QUERY),
    Command("deals-all", ("deals",), QUERY),
    Command("timeline-all", ("timeline",), QUERY),
    Command("flows-all", ("flows",), QUERY),
    Command("firms-all", ("firms",), QUERY),
    Command("conflicts", ("conflicts",), QUERY),
    Command("sources", ("sources",), QUERY),
    Command("source", ("source", "synthetic"), QUERY),
    Command("path", ("path", "person-5", "firm-9"), GRAPH),
    Command("strategy", ("strategy", "--matrix"), GRAPH),
    Command("strategy-all", ("strategy",), GRAPH),
    Command("validate", ("validate",), VALIDATE),
    Command("export-graphml", ("export", "graphml"), EXPORT, out="graph.graphml"),
    Command("export-json", ("export", "json"), EXPORT, out="graph.json"),
    Command("export-sqlite", ("export", "sqlite"), EXPORT, out="graph.sqlite"),
)

# The peer: jq answering "who left firm-3" on the node-link JSON export (warm only; no cache).
JQ = "jq"
JQ_PROGRAM = (
    '[.edges[] | select(.target == "firm-3" and .relation == "held_role_at" and '
    '(.end_cause == "left" or .end_cause == "founded" or .end_cause == "advisor" or '
    '.end_cause == "reported"))] | length'
)

NAMES = (*(command.name for command in COMMANDS), JQ)
