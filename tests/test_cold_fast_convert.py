"""The converter's fast path (FileConverter.fast_record) must give exactly what the general path
gives: the same records at the same places, the same references and quotes in the same order,
and the same problems (it hands every record with anything wrong in it to the general path)."""

from __future__ import annotations

import dataclasses
import json
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from aiorg import codec
from aiorg.convert import FileConverter
from aiorg.dates import FuzzyDate
from aiorg.model import RECORD_KINDS
from aiorg.money import Money
from aiorg.yamlsource import YamlProblemsError, parse_text

ROOT = Path(__file__).resolve().parent.parent


def _converted(text: str, fast: bool) -> tuple[Any, ...]:
    root = parse_text(text, "t.yaml")
    converter = FileConverter("t.yaml")
    converter.fast = fast
    converter.line_offset = 7  # as for a chunk: every place moves by it
    records = converter.convert_file(root)
    # repr tells True from 1 and 1.0 from 1, which == does not
    return (
        repr(records),
        repr(converter.references),
        repr(converter.quotes),
        [str(problem) for problem in converter.problems],
        sorted(converter.broken_ids),
    )


def _same_both_ways(text: str) -> None:
    general = _converted(text, fast=False)  # first: it learns the runs of keys the fast path needs
    assert _converted(text, fast=True) == general


def _data_files() -> list[Path]:
    folders = (ROOT / "data", ROOT / "tests" / "fixtures", ROOT / "tests" / "cases")
    return sorted(path for folder in folders for path in folder.rglob("*.y*ml"))


@pytest.mark.parametrize("path", _data_files(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_file_we_ship_converts_the_same_both_ways(path: Path) -> None:
    try:
        text = path.read_bytes().decode("utf-8")
        parse_text(text, "t.yaml")
    except (UnicodeDecodeError, YamlProblemsError):
        pytest.skip("not YAML the converter gets to see")
    _same_both_ways(text)


def test_the_fast_path_takes_the_bundled_records() -> None:
    """It is used (else the comparisons above prove nothing): nearly every bundled record takes it."""
    text = (ROOT / "data" / "tenures.yaml").read_text()
    _converted(text, fast=False)
    root = parse_text(text, "t.yaml")
    assert isinstance(root, yaml.MappingNode)
    converter = FileConverter("t.yaml")
    taken = [converter.fast_record(RECORD_KINDS["tenures"], item) for item in root.value[0][1].value]
    assert len(taken) > 10
    assert all(isinstance(record, RECORD_KINDS["tenures"]) for record in taken)


# --- random records: mostly valid (so the fast path is taken), with every kind of thing that can
# be wrong mixed in (so it must hand those to the general path) ---

_VALID_TEXTS = ["firm-1", "person-2", "t-0-1", "x.y_z"]  # ids, and text with words
_TEXTS = ["Head of product", "产品负责人", "…", "...", "yes", "null", "~", "", " ", "12", "Tom & Jerry", "a: b"]
_TEXTS += ["Bad Id", "x\\u0007y", "2020-01-01", "true"]
# invisible (format) characters, refused in names only; a joiner between Arabic letters is not
_TEXTS += ["Wang\u200bFang", "王\u202e芳", "\ufeffx", "a\u200db", "\u062e\u0627\u200c\u0645"]
_VALID_DATES = ["2016-04", "2017..2018", "..2025-06", "~2025-06"]
_DATES = ["2021-02-30", "soon", "2019-13", "null", ""]
_VALID_NUMBERS = ["50", "3.5", "0.1"]
_NUMBERS = ["0", "150", "1e400", ".nan", "-.inf", "twelve", "true", "null"]
_VALID_MONEY = ["140亿美元", "est. 320亿美元", "3500万"]
_MONEY = ["lots", "1e400亿美元", "null", "0"]
_VALID_BOOLS = ["true", "false"]
_BOOLS = ["yes", "maybe", "null"]


def _scalar_pools(hint: Any, name: str, cls: type) -> tuple[list[str], list[str]]:
    """Valid values of a field, and values that are wrong or unusual (null, a wrong type)."""
    if name == "inferred":
        return [f.name for f in dataclasses.fields(cls)], ["colour", "id", "inferred"]
    if hint is FuzzyDate:
        return _VALID_DATES, _DATES
    if hint is Money:
        return _VALID_MONEY, _MONEY
    if hint is float:
        return _VALID_NUMBERS, _NUMBERS
    if hint is bool:
        return _VALID_BOOLS, _BOOLS
    if isinstance(hint, type) and issubclass(hint, Enum):
        return [member.value for member in hint], ["bogus", "null"]
    return _VALID_TEXTS, _TEXTS


def _is_record(hint: Any) -> bool:
    return isinstance(hint, type) and dataclasses.is_dataclass(hint) and hint not in (FuzzyDate, Money)


@st.composite
def _scalar(draw: st.DrawFn, hint: Any, name: str, cls: type) -> str:
    valid, unusual = _scalar_pools(hint, name, cls)
    value = draw(st.sampled_from(unusual if draw(st.integers(0, 19)) == 0 else valid))
    style = draw(st.sampled_from(["plain", "plain", "double", "single"]))
    if style == "double":
        return json.dumps(value, ensure_ascii=False).replace("\\\\u0007", "\\u0007")
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return value


@st.composite
def _value(draw: st.DrawFn, hint: Any, name: str, cls: type, depth: int) -> str:
    hint = codec.unwrap_optional(hint)
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        if not _is_record(item) and draw(st.booleans()):
            return draw(_scalar(item, name, cls))  # a single value where a list is expected
        items = draw(st.lists(_value(item, name, cls, depth), max_size=3))
        return "[" + ", ".join(items) + "]"
    if _is_record(hint):
        if depth > 1 or draw(st.integers(0, 19)) == 0:
            return draw(_scalar(str, name, cls))  # not a mapping
        return "{" + ", ".join(draw(_fields(hint, depth + 1))) + "}"
    return draw(_scalar(hint, name, cls))


@st.composite
def _fields(draw: st.DrawFn, cls: type, depth: int) -> list[str]:
    hints = typing.get_type_hints(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    required = [
        f.name
        for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    chosen = [name for name in names if name in required or draw(st.integers(0, 3)) == 0]
    if draw(st.integers(0, 19)) == 0 and chosen:
        chosen.remove(draw(st.sampled_from(chosen)))  # a required field missing, or not
    if draw(st.integers(0, 19)) == 0:
        chosen.append(draw(st.sampled_from(["colour", "yes", *names])))  # unknown, typed or duplicate key
    chosen = draw(st.permutations(chosen))
    return [f"{name}: {draw(_value(hints.get(name, str), name, cls, depth))}" for name in chosen]


@st.composite
def _file(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(sorted(RECORD_KINDS)))
    lines = [f"{kind}:"]
    for _ in range(draw(st.integers(1, 6))):
        fields = draw(_fields(RECORD_KINDS[kind], 0))
        if not fields:
            lines.append("  - {}")
            continue
        lines.append(f"  - {fields[0]}")
        lines.extend(f"    {field}" for field in fields[1:])
    return "\n".join(lines) + "\n"


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(_file())
def test_random_records_convert_the_same_both_ways(text: str) -> None:
    try:
        parse_text(text, "t.yaml")
    except YamlProblemsError:
        assume(False)
    _same_both_ways(text)


def test_a_deal_step_inferring_a_field_it_lacks_is_reported_not_a_crash() -> None:
    """A deal's step has no id: the message names none (it used to raise AttributeError)."""
    text = (
        "deals:\n  - id: d-1\n    kind: acquisition\n    buyers: [firm-1]\n    source: s-1\n    quote: 收购\n"
        "    history: [{status: agreed, source: s-1, quote: 收购, inferred: [colour]}]\n"
    )
    for fast in (False, True):
        problems = _converted(text, fast)[3]
        assert problems == ["t.yaml:14:15: inferred: 'colour' is not a field"], problems


_TENURE = "tenures:\n  - id: t-1\n    person: person-1\n    firm: firm-1\n    source: s-1\n    quote: 加入\n"


_PERSON = "people:\n  - id: p-1\n    name: Wang Fang\n    source: s-1\n    quote: 王芳\n"


@pytest.mark.parametrize(
    ("extra", "refused"),
    [
        ("    name_zh: 王\u200b芳\n", "U+200B"),  # an invisible character in a name
        ('    aliases: [Fang Wang, "Wang\\u202eFang"]\n', "U+202E"),
        ("    former_names: 'W\u2060F'\n", "U+2060"),
        ("    aliases: [\u062e\u0627\u200c\u0645]\n", None),  # a joiner that is drawn: kept
        ("    name_zh: 王\u200d芳\n", "U+200D"),
    ],
)
def test_a_name_with_an_invisible_character_converts_the_same_both_ways(extra: str, refused: str | None) -> None:
    text = _PERSON + extra + _PERSON.replace("p-1", "p-2").removeprefix("people:\n")
    _same_both_ways(text)
    problems = _converted(text, fast=True)[3]
    assert [refused in problem for problem in problems] == ([True] if refused else []), problems


@pytest.mark.parametrize(
    "extra",
    [
        "    replaces: null\n    after: ~\n    reported_by: [firm-2, null]\n",  # nulls name nothing
        '    title: ""\n',  # blank text
        "    inferred: [title, colour]\n",
        "    end: 2019\n    end_cause: left\n    start: 2020\n",  # ends before it starts
        "    current: yes\n",
        "    reported_by: [Firm Two]\n",
        '    also: [{source: s-2, quote: "…"}]\n',
        "    also: [{source: s-2, quote: 加入, colour: red}]\n",
    ],
)
def test_a_record_with_something_unusual_converts_the_same_both_ways(extra: str) -> None:
    for text in (_TENURE + extra, _TENURE.replace("quote: 加入", "quote: []") + extra):
        _same_both_ways(text + _TENURE.replace("t-1", "t-2"))  # a clean record after it takes the fast path
