"""How firm rows and a firm's profile read in a table: what each count counts, and the links an
inference makes marked. JSON and CSV keep the numbers and ids bare: the rows' keys and their
`inferred` say it there (aiorg.queries.firm_counts, aiorg.queries.firm_reach)."""

from __future__ import annotations

from typing import Any

from aiorg.queries.common import INFERRED
from aiorg.queries.firm_reach import THROUGH
from aiorg.queries.inferred import resting_on

#: a firm row's departure counts, and what a table calls what each counts
_BY_CAUSE = (
    ("formal_departures", "left"),
    ("advisor_moves", "moved to advisor"),
    ("reported_departures", "reportedly left"),
    ("disputed_departures", "disputed"),
)
#: the same, as what a profile's people did ('People who left or moved to an advisor role')
_WHO = {
    "formal_departures": "left",
    "advisor_moves": "moved to an advisor role",
    "reported_departures": "were reported to have left",
}
_DISPUTED = "whose departure is disputed"
#: the counts a firms table shows as a plain number, each a cell of its own
_PLAIN_COUNTS = ("people", "deals")


def departures_text(row: dict[str, Any]) -> str:
    """A firm row's departures as a table writes them, each by what it was: '1 left; 1 moved to
    advisor' (a move to advisor is never counted as a plain departure); '0' when none. Each part
    that counts something only through an inferred parent, as the row's `inferred` names it, is
    marked itself: '1 left (parent inferred); 1 moved to advisor', never the stated part after it."""
    named = set(row["inferred"])
    parts = [f"{row[key]} {words}{_mark(key in named)}" for key, words in _BY_CAUSE if row[key]]
    text = "; ".join(parts) or "0"
    # a total the row calls inferred with no part that says so (never expected) still says it
    if "departures" in named and not named & {key for key, _ in _BY_CAUSE}:
        text += _mark(True)
    return text


def _mark(inferred: bool) -> str:
    return resting_on(["parent"]) if inferred else ""


def counts_as_read(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Firm rows as a table draws their counts: departures by cause, and a count (or a cause's
    part of departures) that counts something only through a unit below the firm by an inferred
    parent marked: '2 (parent inferred)', '1 left (parent inferred); 1 moved to advisor'."""
    drawn = []
    for row in rows:
        cells = {key: f"{row[key]}{_mark(key in row['inferred'])}" for key in _PLAIN_COUNTS}
        drawn.append(row | cells | {"departures": departures_text(row)})
    return drawn


def left_title(profile: dict[str, Any]) -> str:
    """The title of a firm's `people_left`, saying what its rows did: 'People who left or moved to
    an advisor role' (each row says which), never 'People who left' over an advisor move."""
    who = [words for key, words in _WHO.items() if profile[key]]
    title = "People who " + _either(who) if who else ""
    if profile["disputed_departures"]:
        title = f"{title}, or {_DISPUTED}" if title else f"People {_DISPUTED}"
    return title or "People who " + _either(list(_WHO.values()))


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


#: the cell of each section's rows that a mark for how the row got there follows
_MARKED_CELL = {
    "people_joined": "firm_name",
    "people_left": "firm_name",
    "people_demoted": "firm_name",
    "products": "name",
    "metrics": "subject",
    "claims": "text",
    "events": "text",
}
#: the cells among those that show an id bare, whose own mark the tables write (aiorg.cli.columns.marked_cells)
_BARE = {"subject"}
#: a deal's parties, by the names a table shows for them
_PARTIES = {"deals_as_buyer": ("buyers", "buyer_names"), "deals_as_target": ("targets", "target_names")}


def links_marked(profile: dict[str, Any]) -> dict[str, Any]:
    """A firm's profile as its tables draw it: a unit below it through an inferred parent, and a
    group it is an inferred member of (in its Groups and a claim's Via group), marked as its
    `inferred` says ('deepmind (parent inferred)', 'four-strong (inferred)'); a row there only
    through such links says so after its firm, name or text ('Toe (parent inferred)', 'The four
    reorganise (groups inferred)'), a deal after the names of such units among its parties."""
    inferred = profile["inferred"]
    units = inferred.get("units") or [[] for _ in profile["units"]]
    groups = inferred.get("groups") or [[] for _ in profile["groups"]]
    # (a firm that marks its groups inferred has each marked by the `inferred` of its own record)
    read = {group for group, fields in zip(profile["groups"], groups, strict=True) if fields}
    below = {unit for unit, fields in zip(profile["units"], units, strict=True) if fields}

    def marked(group: str) -> str:
        return group + INFERRED if group in read else group

    drawn = profile | {
        "units": [unit + resting_on(fields) for unit, fields in zip(profile["units"], units, strict=True)],
        "groups": [marked(group) for group in profile["groups"]],
        "claims": [claim | {"via": [marked(group) for group in claim["via"]]} for claim in profile["claims"]],
    }
    for section, cell in _MARKED_CELL.items():
        drawn[section] = [_row_marked(row, cell) for row in drawn[section]]
    for section, (ids, names) in _PARTIES.items():
        drawn[section] = [_parties_marked(row, ids, names, below) for row in drawn[section]]
    return drawn


def _row_marked(row: dict[str, Any], cell: str) -> dict[str, Any]:
    """A row with what its place in the profile rests on written after `cell` (a claim's groups
    are marked in its Via group)."""
    note = resting_on([name for name in THROUGH if name in row["inferred"] and name != "via"])
    if not note:
        return row
    # an id the library leaves bare (a metric's subject) takes its own mark here, before the note
    own = INFERRED if cell in _BARE and cell in row["inferred"] else ""
    return row | {cell: f"{row[cell]}{own}{note}"}


def _parties_marked(row: dict[str, Any], ids: str, names: str, below: set[str]) -> dict[str, Any]:
    """A deal row there only through units below the firm by an inferred parent, with each of
    those units' names marked: 'Toe (parent inferred)'."""
    if "parent" not in row["inferred"]:
        return row
    note = resting_on(["parent"])
    return row | {names: [name + note if i in below else name for i, name in zip(row[ids], row[names], strict=True)]}
