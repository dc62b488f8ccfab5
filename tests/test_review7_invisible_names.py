"""Review 7 defect (lower harm): invisible and direction-changing characters in names load as valid.

On the FICTIONAL knowledge base of test_review7_kb, a second person named "Wang Fang\\u200b" /
"王\\u200b芳" (a zero-width space) validates "ok"; it prints exactly as Wang Fang (王芳) does,
and `aiorg search 王芳` does not find it. A name holding U+202E (RIGHT-TO-LEFT OVERRIDE) also
loads, and is printed raw, so a table shows "Wang ‮Fang" reversed on a bidi-aware terminal. The
loader already refuses control characters (README: "NUL and other control characters ...
located by line and column"); format characters in names are the same trap, pasted invisibly
from web pages.

Smallest fix (aiorg/fields.py, where text is checked for control characters): in names
(`name`, `name_zh`, `aliases`, `former_names`) refuse Unicode format characters (category Cf:
U+200B-U+200F, U+202A-U+202E, U+2060-U+2069, U+FEFF) as a located problem, `path:line:col:
invisible character U+200B in a name; delete it`; exit 1.
"""

from __future__ import annotations

import dataclasses
import typing
import unicodedata
from pathlib import Path

import pytest

from aiorg import codec
from aiorg.convert import FileConverter
from aiorg.fields import MAYBE_FORMAT
from aiorg.model import RECORD_KINDS
from aiorg.names import NAME_FIELDS
from aiorg.yamlsource import parse_text
from tests.conftest import run_cli
from tests.test_review7_kb import write_kb


@pytest.mark.parametrize("name", ["Wang Fang\\u200b", "Wang \\u202eFang", "王\\u200b芳"])
def test_an_invisible_character_in_a_name_is_a_located_problem(tmp_path: Path, name: str) -> None:
    data = write_kb(tmp_path)
    people = data / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8")
        + f'  - id: wang-fang-2\n    name: "{name}"\n    source: s-zh\n    quote: 研究负责人王芳\n',
        encoding="utf-8",
    )
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == 1, result.stdout
    assert "people.yaml:" in result.stderr.splitlines()[0]
    assert "Traceback" not in result.stderr


def _problems(text: str) -> list[str]:
    converter = FileConverter("t.yaml")
    converter.convert_file(parse_text(text, "t.yaml"))
    return [str(problem) for problem in converter.problems]


#: every field that names a record, on every kind that has it, from the model and aiorg.names
NAMED = [
    (kind, f.name, typing.get_origin(codec.unwrap_optional(typing.get_type_hints(cls)[f.name])) is list)
    for kind, cls in RECORD_KINDS.items()
    for f in dataclasses.fields(cls)
    if f.name in NAME_FIELDS and f.name != "id"
]


def test_the_name_fields_are_the_models() -> None:
    assert {(kind, name) for kind, name, _ in NAMED} >= {
        ("people", "name"), ("people", "name_zh"), ("people", "aliases"), ("people", "former_names"),
        ("firms", "name"), ("firms", "aliases"), ("groups", "name"), ("products", "former_names"),
    }  # fmt: skip


@pytest.mark.parametrize(("kind", "field", "many"), NAMED, ids=lambda value: str(value))
@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ('"Wang\\u200bFang"', "U+200B ZERO WIDTH SPACE"),  # an escape in double quotes
        ("Wang\u200bFang", "U+200B ZERO WIDTH SPACE"),  # the character itself, unquoted
        ("'王\u200b芳'", "U+200B ZERO WIDTH SPACE"),
        ('"Wang \\u202eFang"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("Wang\u2060Fang", "U+2060 WORD JOINER"),
        ("Wang\ufeffFang", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),  # a byte order mark inside text
        ("Wang\u00adFang", "U+00AD SOFT HYPHEN"),
        ("Wang\u200dFang", "U+200D ZERO WIDTH JOINER"),  # a joiner between Latin letters draws nothing
        ("\u200d王芳", "U+200D ZERO WIDTH JOINER"),
    ],
)
def test_every_name_field_refuses_a_format_character_at_its_place(
    kind: str, field: str, many: bool, written: str, shown: str
) -> None:
    value = f"[Wang Fang, {written}]" if many else written
    name = "" if field == "name" else "    name: Wang Fang\n"
    text = f"{kind}:\n  - id: x-1\n{name}    {field}: {value}\n    source: s-1\n    quote: 王芳\n"
    line = 3 if field == "name" else 4
    column = len(f"    {field}: ") + 1 + (len("[Wang Fang, ") if many else 0)
    message = f"t.yaml:{line}:{column}: {field}: invisible character {shown} in a name; delete it"
    assert message in _problems(text)


@pytest.mark.parametrize(
    "name",
    [
        "\u062e\u0627\u0646\u200c\u0645\u062d\u0645\u062f\u06cc",  # Persian: a non-joiner between Arabic letters
        "\u0915\u094d\u200d\u0937",  # Devanagari: a joiner after a virama
        "Wang Fang",
        "王芳",
        "José Ñúñez",
    ],
)
def test_a_name_without_an_invisible_character_loads(name: str) -> None:
    assert _problems(f"people:\n  - id: x-1\n    name: {name}\n    source: s-1\n    quote: 王芳\n") == []


def test_a_byte_order_mark_at_the_start_of_a_file_is_not_in_a_name(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    people = data / "people.yaml"
    people.write_bytes(b"\xef\xbb\xbf" + people.read_bytes())
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == 0, result.stderr


def test_the_blocks_left_unlooked_at_hold_no_format_character() -> None:
    """invisible_character skips, in one regular expression, the blocks that hold no Cf character."""
    skipped = [chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and not MAYBE_FORMAT.match(chr(c))]
    assert len(skipped) > 40000  # Latin, Greek, Cyrillic, Hebrew, CJK, kana, Hangul, full-width forms
    assert [c for c in skipped if unicodedata.category(c) == "Cf"] == []
