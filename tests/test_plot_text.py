"""DOT and Mermaid: citations left out unless asked for, and a note that a CJK font is needed."""

from __future__ import annotations

import re
from pathlib import Path

from aiorg.errors import ExitCode
from tests.conftest import run_cli

MINIMAX_EDGES = [
    ("minimax", "four-strong", "member of"),
    ("minimax", "six-dragons", "member of"),
    ("six-dragons-executive-departures", "minimax", "about"),
    ("wei-wei", "minimax", "Commercialization partner and VP; head of commercialization (left)"),
    ("zhang-qianchuan", "minimax", "Product advisor"),
    ("zhang-qianchuan", "minimax", "Head of product (advisor)"),
]
MINIMAX_CITATIONS = [
    (node, "zimubang-2025-06", "sourced from")
    for node in (
        "four-strong",
        "minimax",
        "six-dragons",
        "six-dragons-executive-departures",
        "wei-wei",
        "zhang-qianchuan",
    )
]


def _dot(*extra: str) -> str:
    result = run_cli("export", "dot", "-", "--focus", "minimax", "--depth", "1", *extra)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _dot_edges(text: str) -> list[tuple[str, str, str]]:
    return [
        (m[1], m[2], m[3]) for m in re.finditer(r'^    "([^"]+)" -> "([^"]+)" \[label="([^"]*)"', text, re.MULTILINE)
    ]


def test_dot_leaves_out_citations_by_default() -> None:
    text = _dot()
    assert _dot_edges(text) == MINIMAX_EDGES
    assert '"zimubang-2025-06" [' not in text  # nor the source node they point at
    assert "// Labels include Chinese names: render with a CJK font such as Noto Sans CJK SC" in text
    assert '// 6 "sourced from" edges' in text


def test_dot_with_sources_keeps_them() -> None:
    text = _dot("--with-sources")
    assert sorted(_dot_edges(text)) == sorted(MINIMAX_EDGES + MINIMAX_CITATIONS)
    assert '"zimubang-2025-06" [' in text and "left out" not in text


def test_mermaid_leaves_out_citations_by_default(tmp_path: Path) -> None:
    out = tmp_path / "minimax.mmd"
    result = run_cli("export", "mermaid", str(out), "--focus", "minimax", "--depth", "1")
    assert result.exit_code == 0, result.stderr
    assert "6 sourced-from edges left out" in result.stderr and "CJK font" in result.stderr
    text = out.read_text(encoding="utf-8")
    names = dict(re.findall(r'^    (n\d+)\S*?"([^"]+)"', text, re.MULTILINE))
    edges = [
        (names[m[1]], names[m[3]], m[2])
        for m in re.finditer(r'^    (n\d+) -->\|"([^"]*)"\| (n\d+)$', text, re.MULTILINE)
    ]
    labels = {
        "minimax": "MiniMax",
        "four-strong": "Four little strong (四小强)",
        "six-dragons": "AI six little dragons (AI六小龙)",
        "wei-wei": "Wei Wei (魏伟)",
        "zhang-qianchuan": "Zhang Qianchuan (张前川)",
        "six-dragons-executive-departures": (
            "Every one of the six has lost several executives since the second half of 2024, "
            "mostly in applications and commercialisation"
        ),
    }
    assert edges == [(labels[u], labels[v], relation) for u, v, relation in MINIMAX_EDGES]
    assert "-.->" not in text
    assert text.splitlines()[1].startswith("    %% Labels include Chinese names: render with a CJK font")


def test_with_sources_is_only_for_pictures() -> None:
    result = run_cli("export", "json", "-", "--with-sources")
    assert result.exit_code == ExitCode.USAGE_ERROR
    assert result.stderr == "aiorg: error: --with-sources is for dot and mermaid; json always keeps citations\n"
