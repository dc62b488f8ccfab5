"""Review 8 (B) defect: `aiorg search` does not say why a name matched.

Every name hit is reported as `field: name` ("Matched in: name"), whether the text found is the
record's name, an alias, a former name or its id, and `matched` is often the id rather than the
name a reader knows. On the bundled data:

- `aiorg search Facebook` -> `firm meta Meta  name  Facebook`: a reader learns that Meta's name
  is Facebook, when the data says it is a *former* name (`former_names: [Facebook]`);
- `aiorg search Scale` -> `Scale AI  name  Scale`: `Scale` is an alias;
- `aiorg search "Alexandr Wang"` -> `name  alexandr-wang`: the id, shown as the name matched.

Suggested fix: carry the store's field (`TextHit.field`: id, name, name_zh, aliases,
former_names) into `NameEntry` (aiorg/names.py) and report it in `queries.search`
(aiorg/queries/search.py) as "name", "Chinese name", "alias", "former name" or "id"; among
the texts of one record that normalise alike, prefer a name over the id.
"""

from __future__ import annotations

import json

from tests.conftest import run_cli


def _rows(text: str) -> list[dict[str, str]]:
    result = run_cli("search", text, "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, str]] = json.loads(result.stdout)
    return rows


def test_a_former_name_is_reported_as_one() -> None:
    (row,) = _rows("Facebook")
    assert (row["id"], row["matched"]) == ("meta", "Facebook")
    assert "former" in row["field"], row


def test_an_alias_is_reported_as_one() -> None:
    (row,) = _rows("Scale")
    assert (row["id"], row["matched"]) == ("scale-ai", "Scale")
    assert "alias" in row["field"], row


def test_a_full_name_is_shown_as_the_name_not_the_id() -> None:
    (row,) = _rows("Alexandr Wang")
    assert row["id"] == "alexandr-wang"
    assert (row["field"], row["matched"]) == ("name", "Alexandr Wang"), row


def test_a_chinese_name_still_matches_as_a_name() -> None:
    """The part that works today: a hit on the Chinese name shows that name."""
    rows = _rows("魏伟")
    assert [(r["id"], r["matched"]) for r in rows] == [("wei-wei", "魏伟")]
