"""Review 8d: hostile hand edits to the FICTIONAL knowledge base of test_review8d_kb that found
nothing wrong, each answer checked by hand: an anchor, a merge key `<<:` with or without an
anchor, a tab indent, an id reused by another kind (each one located line, exit 1, no traceback);
a record moved to another file (the same answers); a source with no `published` (never known under
--known-as-of, said on stderr); --known-as-of before every source (an empty answer that says why,
or exit 3 for a name nobody had reported yet)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_cli
from tests.test_review8d_kb import FIRMS, PEOPLE, TENURES, write_kb


def _validate(data: Path) -> tuple[int, list[str]]:
    result = run_cli("--data", str(data), "validate")
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr.splitlines()


def test_an_anchor_is_refused_at_its_place(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    (data / "firms.yaml").write_text(FIRMS.replace("  - id: xingchen\n", "  - &base\n    id: xingchen\n"), "utf-8")
    code, lines = _validate(data)
    assert code == 1
    assert lines == [
        str(data / "firms.yaml") + ":2:5: anchors (&base) are not supported; write the value out",
        "aiorg: 1 problem found in the knowledge base",
    ]


def test_a_merge_key_is_refused_with_or_without_an_anchor(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    text = FIRMS.replace("  - id: beiming\n", "  - <<: {country: CN}\n    id: beiming\n")
    (data / "firms.yaml").write_text(text, encoding="utf-8")
    code, lines = _validate(data)
    assert code == 1
    assert lines[0] == str(data / "firms.yaml") + ":9:5: key '<<' would be read as merge; quote it"
    assert len(lines) == 2


def test_a_tab_indent_is_one_located_line(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    (data / "people.yaml").write_text(PEOPLE.replace("    name_zh: 林峰", "\tname_zh: 林峰"), encoding="utf-8")
    code, lines = _validate(data)
    assert code == 1
    assert lines[0].startswith(str(data / "people.yaml") + ":4:1: YAML syntax error")
    assert lines[0].endswith("(hint: indent YAML with spaces, not tabs)")
    assert len(lines) == 2


def test_an_id_reused_by_another_kind_names_both_places(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    extra = "  - id: xingchen\n    name: Xing Chen\n    source: fic-a-2025-01\n    quote: 星辰智能\n"
    (data / "people.yaml").write_text(PEOPLE + extra, encoding="utf-8")
    code, lines = _validate(data)
    assert code == 1
    where = str(data / "firms.yaml")
    assert lines[0] == f"{data / 'people.yaml'}:12:5: duplicate id 'xingchen' (first defined at {where}:2)"


def test_a_record_moved_to_another_file_gives_the_same_answers(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    before = run_cli("--data", str(data), "people", "--left", "xingchen", "--format", "json").stdout
    head, lin, chen = TENURES.split("  - id: ")
    (data / "tenures.yaml").write_text(head + "  - id: " + chen, encoding="utf-8")
    (data / "story.yaml").write_text("# moved here\ntenures:\n  - id: " + lin, encoding="utf-8")
    assert _validate(data)[0] == 0
    after = run_cli("--data", str(data), "people", "--left", "xingchen", "--format", "json").stdout
    assert after == before and json.loads(after)[0]["tenure"] == "lin-feng-xingchen"


def test_known_as_of_before_every_source_and_a_source_with_no_date(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    early = run_cli("--data", str(data), "deals", "--known-as-of", "2024-06", "--format", "json")
    assert early.exit_code == 0 and early.stdout.strip() == "[]"
    assert "no source in this knowledge base was certainly published by 2024-06-30" in early.stderr
    named = run_cli("--data", str(data), "people", "--left", "星辰智能", "--known-as-of", "2024-06")
    assert named.exit_code == 3
    assert "no source published by 2024-06-30 (--known-as-of) reports it" in named.stderr
    sources = data / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("    published: 2025-01-10\n", ""), "utf-8")
    assert _validate(data)[0] == 0
    undated = run_cli("--data", str(data), "deals", "--known-as-of", "2030", "--format", "json")
    assert undated.exit_code == 0 and undated.stdout.strip() == "[]"
    assert "1 source with no certain publication date never counts: fic-a-2025-01" in undated.stderr
