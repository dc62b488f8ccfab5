"""A `path` hop that rests on a field its record marks inferred says so: the bundled data infers
that DeepMind is part of Google (firms.yaml: `inferred: [parent]`), which `firm deepmind` marks,
and `path` must not state it as plain fact."""

from __future__ import annotations

import json

from tests.conftest import run_cli


def test_a_hop_on_an_inferred_parent_says_so() -> None:
    result = run_cli("path", "deepmind", "google", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows[0]["relation"] == "part of (parent inferred)"
    # a hop that rests on stated fields is not marked
    assert all("inferred" not in row["relation"] for row in rows[1:] if row["via"] != "deepmind")


def test_a_hop_on_stated_fields_is_not_marked() -> None:
    result = run_cli("path", "Daniel Gross", "ssi", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert all("inferred" not in row["relation"] for row in json.loads(result.stdout))
