"""The YAML reader: what it accepts, and the limits it enforces before parsing."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from aiorg import yamlsource
from aiorg.loader import load
from aiorg.yamlsource import YamlProblemsError, read_file

VALID = "sources:\n  - id: s\n    title: T\npeople:\n  - id: a\n    name: 魏伟\n    source: s\n    quote: q\n"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    (tmp_path / "kb.yaml").write_bytes(codecs.BOM_UTF8 + VALID.replace("\n", "\r\n").encode("utf-8"))
    kb = load(tmp_path)
    assert kb.people[0].name == "魏伟"


def test_size_limit_is_checked_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(VALID, encoding="utf-8")
    monkeypatch.setattr(yamlsource, "MAX_FILE_BYTES", 10)
    with pytest.raises(YamlProblemsError) as caught:
        read_file(path, "big.yaml")
    assert str(caught.value.problems[0]) == f"big.yaml: file is {len(VALID.encode())} bytes; the limit is 10 (split it)"


def test_alias_bomb_is_refused_at_the_first_anchor() -> None:
    bomb = "a: &a [x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=False)
    )
    with pytest.raises(YamlProblemsError) as caught:
        yamlsource.parse_text(bomb, "bomb.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bomb.yaml:1:4: anchors (&a) are not supported; write the value out"
    ]


def test_python_tags_never_execute(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f"sources:\n  - id: s\n    title: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(YamlProblemsError):
        yamlsource.parse_text(text, "evil.yaml")
    assert not marker.exists()


def test_scalars_keep_their_text() -> None:
    root = yamlsource.parse_text("a: NO\nb: '012'\nc: 14.3e+9\n", "x.yaml")
    assert isinstance(root, yaml.MappingNode)
    assert [(k.value, v.value, yamlsource.implicit_type(v)) for k, v in root.value] == [
        ("a", "NO", "bool"),
        ("b", "012", None),
        ("c", "14.3e+9", "float"),
    ]


def test_chunked_parsing_reads_a_file_exactly_as_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiorg.parse import parse_bytes, parse_whole
    from tests.conftest import BUNDLED_DATA

    raw = (BUNDLED_DATA / "tenures.yaml").read_bytes()
    whole = parse_whole(raw.decode("utf-8"), "tenures.yaml")
    monkeypatch.setattr(yamlsource, "CHUNK_CHARS", 300)
    assert yamlsource.chunk_texts(raw.decode("utf-8"), "tenures.yaml") is not None
    chunked = parse_bytes(raw, "tenures.yaml")
    assert chunked.records is None  # chunks come back as payloads only
    assert chunked.payload == whole.payload
    assert len(whole.payload["records"]["tenures"]) > 20


def test_chunked_parsing_keeps_exact_error_places(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiorg.parse import parse_bytes, parse_whole

    lines = ["people:"] + [f"  - {{id: p{i}, name: P{i}, source: s, quote: q}}" for i in range(40)]
    lines[33] = "  - {id: p32, name: NO, source: s, quote: q}"
    lines[37] = "  - {id: p36, name: 'unclosed, source: s}"
    monkeypatch.setattr(yamlsource, "CHUNK_CHARS", 200)
    result = parse_bytes("\n".join(lines).encode(), "big.yaml")
    whole = parse_whole("\n".join(lines), "big.yaml")  # a chunk that fails sends the file down this path
    assert [str(p) for p in result.problems] == [str(p) for p in whole.problems]
    assert [str(p) for p in result.problems] == [
        "big.yaml:41:46: YAML syntax error: while scanning a quoted scalar found unexpected end of stream"
    ]
    lines[37] = "  - {id: p36, name: ok, source: s, quote: q}"
    result = parse_bytes("\n".join(lines).encode(), "big.yaml")
    assert [str(p) for p in result.problems] == [
        "big.yaml:34:21: name: unquoted 'NO' would be read by YAML as bool; quote it: \"NO\""
    ]


@given(st.text(alphabet="ab &*!\n\t\r[]{},:-?#'\"x", max_size=16))
def test_the_anchor_scan_finds_exactly_what_its_plain_definition_finds(text: str) -> None:
    """The fast scan must agree with the readable form: a sigil at a line start or after `\\s[{,:-?`."""
    readable = re.compile(r"(?:^|[\s\[{,:\-?])[&*!]", re.MULTILINE)
    assert bool(yamlsource._ANCHOR_ALIAS_OR_TAG.search(text)) == bool(readable.search(text))
