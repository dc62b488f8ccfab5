"""The YAML that `aiorg draft` and `aiorg accept` write reads back to the same values, at the
lines it is written on, whatever characters a quote holds (FICTIONAL names and text)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from aiorg.accept import accept
from aiorg.accept_yaml import TextDumper, YamlFile, new_file_text, render_items
from aiorg.loader import load
from aiorg.model import Person

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "multisource"

#: YAML reads these as line breaks (as it does "\n"); the rest are text a quote may hold.
ODD = ["\u2028", "\u2029", "\x85", "\n", "\t", '"', "'", "\\", "#", ": ", " ", "中文", "yes", "é"]
texts = st.lists(st.sampled_from([*ODD, "a", "Zhou"]), min_size=1, max_size=8).map("".join)


def _lines_ok(text: str, node: yaml.Node | None) -> None:
    """Every node starts on the line its text is on, counting "\\n" only, as an editor does."""
    assert node is not None
    assert node.start_mark.line == text.count("\n", 0, node.start_mark.index), node
    children = node.value if isinstance(node, yaml.SequenceNode) else []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    for child in children:
        _lines_ok(text, child)


@given(values=st.lists(texts, min_size=1, max_size=3))
def test_a_written_record_reads_back_unchanged_at_its_lines(values: list[str]) -> None:
    records = [{"id": f"p{i}", "name": value, "quote": [value, "x"]} for i, value in enumerate(values)]
    text, origins = new_file_text("people", records, "note", list(range(len(records))))
    lines = text.split("\n")
    assert [(lines[first - 1], tag) for first, _, tag in origins] == [(f"  - id: p{i}", i) for i in range(len(records))]
    assert yaml.safe_load(text) == {"people": records}
    _lines_ok(text, yaml.compose(text, Loader=yaml.CSafeLoader))
    assert not any(c in text for c in ("\u2028", "\u2029", "\x85"))  # each is written as an escape


def test_items_at_a_column_keep_a_line_separator_inside_their_value() -> None:
    text = "people:\n" + render_items([{"id": "p", "name": "Zhou\u2028Lan"}], 2)
    assert yaml.safe_load(text) == {"people": [{"id": "p", "name": "Zhou\u2028Lan"}]}
    assert text.count("\n") == 3  # the header and two lines of the item: the separator is not a line


def test_accept_keeps_a_quote_with_a_line_separator_verbatim(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(FIXTURE, root)
    data = root / "data"
    article = tmp_path / "fictional-article.txt"
    quote = "Zhou Lan\u2028joined Quarry Holdings\x85as its chief scientist"
    article.write_text(f"A FICTIONAL report. {quote}. Nothing else happened.\n", encoding="utf-8")
    source = {"id": "fictional-odd-2025-05", "title": "Fictional", "published": "2025-05-20", "file": str(article)}
    person = {"id": "zhou-lan", "name": "Zhou Lan", "quote": quote, "source": source["id"]}
    later = {"id": "qian-mo", "name": "Qian Mo", "quote": "Zhou Lan", "source": source["id"]}
    draft = {"sources": [source], "people": [{**p, "review": "accept", "offset": 0} for p in (person, later)]}
    path = tmp_path / "draft.yaml"
    path.write_text(yaml.dump(draft, Dumper=TextDumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    accept(data, path)
    kb = load(data, check_quotes=True)
    record = kb.by_id["zhou-lan"]
    assert isinstance(record, Person) and record.quote == [quote]
    # Every record after it is on the line the loader says: a raw separator would move them a line down.
    for file in data.glob("*.yaml"):
        text = file.read_text(encoding="utf-8")
        _lines_ok(text, yaml.compose(text, Loader=yaml.CSafeLoader))
    assert "- id: qian-mo" in (data / "people.yaml").read_text(encoding="utf-8")


def test_origins_give_each_inserted_item_its_exact_lines(tmp_path: Path) -> None:
    """Appended items (a spaced list and a packed one), an `also:` added under a record and an item
    inserted before another: each origin spans exactly its item's lines in the edited text."""
    path = tmp_path / "people.yaml"
    path.write_text(
        "people:\n  - id: a\n    name: A\n\n  - id: b\n    name: B\n    also:\n      - source: s\n        quote: q\n"
        "firms:\n  - id: f\n    name: F\n  - id: g\n    name: G\n",
        encoding="utf-8",
    )
    file = YamlFile.read(path, "people.yaml")
    people, firms = file.kinds["people"], file.kinds["firms"]
    assert people is not None and firms is not None
    # In the order aiorg.accept plans them: claims, then steps, then new records.
    file.add_also(people.value[0], [{"source": "t", "quote": "x"}, {"source": "u", "quote": "y"}], 1, [30, 40])
    file.add_also(people.value[1], [{"source": "v", "quote": "z"}], 2, [50])
    file.insert_item_before(firms, 1, {"id": "h", "name": "H"}, 3, 60)
    file.append_items(people, [{"id": "c", "name": "C\u2028D"}, {"id": "d", "name": "D"}], 4, [10, 20])
    file.append_items(firms, [{"id": "i", "name": "I"}], 5, [70])
    lines = file.edited().split("\n")
    spans = {tag: lines[first - 1 : last] for first, last, tag in file.origins()}
    assert spans == {
        10: ["  - id: c", '    name: "C\\LD"', ""],  # a spaced list: the blank line after it too
        20: ["  - id: d", "    name: D"],
        30: ["      - source: t", "        quote: x"],
        40: ["      - source: u", "        quote: y"],
        50: ["      - source: v", "        quote: z"],
        60: ["  - id: h", "    name: H"],
        70: ["  - id: i", "    name: I"],
    }
    assert yaml.safe_load(file.edited())["people"][0]["also"][1] == {"source": "u", "quote": "y"}
