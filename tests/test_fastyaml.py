"""The fast composer gives libyaml's node tree, node for node, or gives up.

Every comparison is of whole trees: each node's class, tag, value, style (quoting or flow) and
start line and column, as `_shape` spells them out."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from aiorg import fastyaml, yamlsource
from aiorg.fastyaml import OutsideSubsetError

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATA = os.environ.get("AIORG_BENCH_DATA")  # e.g. /tmp/bench-final/kb-100000/data


def _libyaml(text: str) -> yaml.Node | None:
    root: yaml.Node | None = yaml.compose(text, Loader=yamlsource._Composer)
    return root


def _shape(node: yaml.Node | None) -> Any:
    """A node as plain data: everything a reader of the tree can see, start mark included."""
    if node is None:
        return None
    where = (node.start_mark.line, node.start_mark.column)
    if isinstance(node, yaml.ScalarNode):
        return (type(node), node.tag, node.value, node.style, where)
    if isinstance(node, yaml.MappingNode):
        pairs = [(_shape(key), _shape(value)) for key, value in node.value]
        return (type(node), node.tag, pairs, node.flow_style, where)
    assert isinstance(node, yaml.SequenceNode)
    return (type(node), node.tag, [_shape(item) for item in node.value], node.flow_style, where)


def _fast_or_none(text: str) -> tuple[bool, Any]:
    """(True, shape) if the fast composer took the text, (False, None) if it gave up."""
    try:
        return True, _shape(fastyaml.compose(text))
    except OutsideSubsetError:
        return False, None


def _check(text: str) -> bool:
    """Assert that the fast composer gives libyaml's tree or gives up; True if it took the text."""
    took, fast = _fast_or_none(text)
    if not took:
        return False
    try:
        expected = _shape(_libyaml(text))
    except yaml.YAMLError as error:
        raise AssertionError(f"libyaml refuses what the fast composer took: {error}\n{text}") from None
    assert fast == expected, text
    return True


# --- the files in the repository ------------------------------------------------------------------


def _repository_yaml() -> list[Path]:
    found = []
    for folder in ("data", "tests/fixtures", "tests/cases", "tests/accept_articles", "tests/golden"):
        found += sorted((ROOT / folder).rglob("*.yaml")) + sorted((ROOT / folder).rglob("*.yml"))
    return found


def test_every_yaml_file_in_the_repository_composes_as_libyaml_does() -> None:
    took = []
    for path in _repository_yaml():
        try:
            text = yamlsource.decode(path.read_bytes(), str(path))
        except yamlsource.YamlProblemsError:
            continue  # not UTF-8: refused before composing
        if _check(text):
            took.append(path.relative_to(ROOT).as_posix())
    # The files written in the subset do take the fast path (those with `>-` notes do not).
    assert "tests/cases/duplicate-ids/data/a.yaml" in took
    assert "data/people.yaml" in took
    assert "data/deals.yaml" not in took  # block scalars (`note: >-`) are left to libyaml


def test_files_libyaml_refuses_are_never_taken() -> None:
    for text in [
        "a: b: c\n",
        "a:\n  - x\n  y: 1\n",
        "a: 1\n b: 2\n",
        "- a\nb: 1\n",
        "a: [x, y\n",
        'a: "x\n  y"\n',
        "a: x\n  - y\n",
        "a: 1\n---\nb: 2\n",
        "a: - x\n",
        "a: @x\n",
        "a: [x]]\n",
        "a: {x: 1}}\n",
        "a: 'x'y\n",
        "a:\n\tb: 1\n",
        "  a: 1\nb: 2\n",
        "- a: 1\n   b: 2\n",
    ]:
        assert _fast_or_none(text) == (False, None), text


# --- documents in and just outside the subset ---------------------------------------------------

TRICKY = [
    "yes",
    "NO",
    "012",
    "1e9",
    "14.3e+9",
    "~",
    "null",
    "2024-09",
    "2020",
    "a: b",
    "it's",
    "a #b",
    "a#b",
    "a:b",
    "[x]",
    "{x}",
    "- x",
    "-x",
    "-5",
    "?x",
    ":x",
    "x:",
    "魏伟",
    "收购, 加入公司",
    "Scale AI联合创始人兼CEO Alexandr Wang",
    "a  b",
    " a",
    "a ",
    "",
    "'",
    '"',
    "''",
    'say "hi"',
    "back\\slash",
    "&a",
    "*a",
    "!a",
    "|",
    ">-",
    "%x",
    "@x",
    "`x",
    "a, b",
    "a]b",
    "a}b",
    "x # y: z",
    "🙂 emoji",
    "100%",
    "---",
    "...",
    "#",
    "a\tb",
]
_WORDS = ["id", "person-0", "收购", "魏伟 Wang", "2020", "a b", "Scale AI联合创始人", "x.y", "1e9", "🙂 emoji"]
# Plain scalars the subset takes in block context, and (without `,[]{}:#?`) inside flow collections.
_BLOCK_PLAIN = [*_WORDS, "yes", "NO", "012", "14.3e+9", "~", "null", "2024-09", "it's", "a#b", "a:b", "-x", "-5"]
_BLOCK_PLAIN += ["a  b", "收购, 加入公司", "a]b", "100%", 'say "hi"', "x.y!"]
_FLOW_PLAIN = [*_WORDS, "yes", "~", "2024-09", "it's", "-5", "a  b", "100%", 'say "hi"']
_QUOTABLE = [*TRICKY, "", " a ", "a: b", "#", "'", "''"]
_NOISE = st.text(alphabet="ab 魏:#-'\"[]{},?&!|>%~.0123456789\\", min_size=1, max_size=8)


@st.composite
def _scalar(draw: st.DrawFn, clean: bool, flow: bool) -> str:
    """A scalar as written: plain, or quoted in either style."""
    style = draw(st.sampled_from(["plain", "plain", "plain", "double", "single"]))
    if clean:
        if style == "plain":
            return draw(st.sampled_from(_FLOW_PLAIN if flow else _BLOCK_PLAIN))
        text = draw(st.sampled_from(_QUOTABLE).filter(lambda t: "\\" not in t and "\t" not in t))
        if style == "double":
            return '"' + text.replace('"', "'") + '"'
        return "'" + text.replace("'", "''") + "'"
    text = draw(st.one_of(st.sampled_from(_WORDS), st.sampled_from(TRICKY), _NOISE))
    if style == "double":
        return f'"{text}"'
    if style == "single":
        return "'" + (text.replace("'", "''") if draw(st.booleans()) else text) + "'"
    return text


@st.composite
def _flow(draw: st.DrawFn, clean: bool, depth: int = 0) -> str:
    mapping = draw(st.booleans())
    space = draw(st.sampled_from(["", " ", "  "]))
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        nested = depth < 2 and draw(st.integers(0, 4)) == 0
        value = draw(_flow(clean, depth + 1)) if nested else draw(_scalar(clean, flow=True))
        if mapping:
            key = draw(st.sampled_from(_WORDS)) if clean else draw(_scalar(clean, flow=True))
            value = f"{key}:{' ' if clean else draw(st.sampled_from([' ', '', '  ']))}{value}"
        parts.append(value)
    body = ("," + space).join(parts) + ("" if clean else draw(st.sampled_from(["", "", ",", " "])))
    return ("{" if mapping else "[") + space + body + space + ("}" if mapping else "]")


@st.composite
def _inline(draw: st.DrawFn, clean: bool) -> str:
    return draw(_flow(clean)) if draw(st.integers(0, 3)) == 0 else draw(_scalar(clean, flow=False))


def _comment(draw: st.DrawFn, clean: bool) -> str:
    return draw(st.sampled_from(["", "", "", " # note", "  #: x", " "] + ([] if clean else ["#x", "  "])))


@st.composite
def _block(draw: st.DrawFn, clean: bool, indent: int, depth: int) -> list[str]:
    """Lines of a block mapping or sequence at `indent`."""
    lines: list[str] = []
    pad = " " * indent
    step = draw(st.sampled_from([2, 2, 2, 4, 1, 3]))
    is_sequence = draw(st.integers(0, 2)) == 0
    for _ in range(draw(st.integers(1, 3))):
        if lines and draw(st.integers(0, 5)) == 0:
            lines.append(draw(st.sampled_from(["", "   ", "# comment", "  # deep comment", " #x"])))
        if is_sequence:
            dash = pad + "-" + draw(st.sampled_from([" ", " ", " ", "  "] + ([] if clean else [""])))
            if depth < 2 and draw(st.integers(0, 2)) == 0:  # a block starting on the item's line
                inner = draw(_block(clean, len(dash), depth + 1))
                if clean and inner[0].lstrip(" ").startswith("-"):
                    inner = [pad + " " * (len(dash) - indent) + "k: v"]  # no sequence in a sequence
                lines += [dash + inner[0].lstrip(" "), *inner[1:]]
            else:
                lines.append(dash + draw(_inline(clean)) + _comment(draw, clean))
            continue
        keys = st.sampled_from(_WORDS)
        key = draw(keys if clean else st.one_of(keys, _scalar(clean, False)))
        if depth < 2 and draw(st.integers(0, 3)) == 0:
            lines.append(pad + key + ":" + _comment(draw, clean))
            lines += draw(_block(clean, indent + step, depth + 1))
        else:
            colon = ":" + draw(st.sampled_from([" ", " ", " ", "  "] + ([] if clean else [""])))
            lines.append(pad + key + colon + draw(_inline(clean)) + _comment(draw, clean))
    return lines


@st.composite
def _document(draw: st.DrawFn, clean: bool) -> str:
    lines = draw(_block(clean, draw(st.sampled_from([0, 0, 0, 2])), 0))
    if not clean and lines:  # just outside: one small slip anywhere
        where = draw(st.integers(0, len(lines) - 1))
        line = lines[where]
        at = draw(st.integers(0, len(line)))
        slip = draw(st.sampled_from([" ", "\t", ":", "#", "-", "'", '"', "[", "&", "\\", "\r", "\x85", "\u2028"]))
        lines[where] = line[:at] + slip + line[at:]
    end = draw(st.sampled_from(["\n", "", "\n\n", "\n# end\n"]))
    text = "\n".join(lines) + end
    return text.replace("\n", "\r\n") if draw(st.integers(0, 9)) == 0 else text


@given(_document(clean=True))
@example("people:\n  - id: a\n    name: 'it''s'\n    aliases: [x, \"b\", c]\n")
@example("deals:\n  - history:\n      - {date: 2020, status: rumoured, quote: 收购}\n")
@example("a:\n  b: 1\n# between\n  c: 2\n")
@example("  a: 1\n  b: [ x , y ]\n")
def test_documents_in_the_subset_take_the_fast_path_and_compose_as_libyaml_does(text: str) -> None:
    assert _check(text), f"the fast composer gave up on:\n{text}"


@given(_document(clean=False))
def test_documents_just_outside_the_subset_compose_as_libyaml_does_or_give_up(text: str) -> None:
    _check(text)


@pytest.mark.parametrize("value", TRICKY)
def test_tricky_scalars_compose_as_libyaml_does(value: str) -> None:
    for text in (f"k: {value}\n", f"- {value}\n", f"k: [{value}]\n", f"k: {{v: {value}}}\n", f"- k: {value}\n"):
        _check(text)


def test_the_usual_shapes_take_the_fast_path() -> None:
    """The subset covers what generate.py and the bundled files write, else it would not help."""
    usual = [
        'people:\n  - id: person-0\n    name: "Deng 0"\n    name_zh: 邓勇博0\n    aliases: ["Deng 0"]\n',
        "deals:\n  - id: d\n    history:\n      - {date: 2020, status: rumoured, source: s, quote: 收购}\n",
        "tenures:\n  # a comment\n\n  - id: t  # trailing\n    end: '2017..2018'\n    current: true\n",
        "groups:\n  - {id: group-0, name: Group 0, name_zh: 第0组, quote: 据报道}\n",
        "a:\r\n  - x\r\n",
        "",
        "# only a comment\n",
    ]
    for text in usual:
        assert _check(text), text


# --- the benchmark's files, chunk by chunk (not in CI: set AIORG_BENCH_DATA to run) ----------


@pytest.mark.skipif(not BENCH_DATA, reason="set AIORG_BENCH_DATA to a generated data directory")
def test_benchmark_chunks_compose_as_libyaml_does() -> None:
    assert BENCH_DATA is not None
    for path in sorted(Path(BENCH_DATA).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        for _, chunk in yamlsource.chunk_texts(text, path.name) or [(0, text)]:
            assert _check(chunk), f"{path.name}: the fast composer gave up"
