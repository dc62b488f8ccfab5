"""The YAML reader: what it accepts, and the limits it enforces before parsing."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
import yaml

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
