"""Review 8 (C), defect: a value holding U+2028, U+2029 or U+0085 breaks the Cypher script's
one-statement-a-line layout.

The loader keeps these characters when the YAML writes them as double-quoted escapes (\\L, \\P,
\\N; aiorg/yamlsource.py). The Cypher writer escapes \\n and \\r but writes these raw, and the
script's own first line says to load it "line by line (FalkorDB)". Python's str.splitlines(),
which the repo's own FalkorDB loader uses (tests/test_exports.py), and most editors split there:
the person's MERGE is cut in two (both halves fail), and every later MATCH of that person finds
nothing and silently adds no edge, so the person's role spells are missing from the database.
FalkorDB reads no \\u escape in a string (it keeps the backslash), so the fix cannot be an
escape: refuse these characters in values where the other control characters are refused
(aiorg/yamlsource.py _FORBIDDEN_CHARS), or write the script so that every line still holds
one whole statement.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import one_file_kb, run_cli

TEXT = "韩梅梅加入极光智能。"


@pytest.mark.parametrize("escape", ["\\L", "\\P", "\\N"])
def test_every_line_of_the_cypher_script_is_one_whole_statement(tmp_path: Path, escape: str) -> None:
    kb = f"""\
sources:
  - {{id: s1, title: 极光, kind: article, published: 2024-10-08, file: ../seeds/s1.txt}}
firms:
  - {{id: aurora, name: Aurora, name_zh: 极光智能, source: s1, quote: 极光智能}}
people:
  - {{id: han-meimei, name: "Han Meimei{escape}Second line", name_zh: 韩梅梅, source: s1, quote: 韩梅梅}}
tenures:
  - {{id: han-aurora, person: han-meimei, firm: aurora, source: s1, quote: 韩梅梅加入极光智能}}
"""
    data = one_file_kb(tmp_path, kb, {"s1.txt": TEXT})
    out = tmp_path / "kb.cypher"
    result = run_cli("--data", str(data), "export", "cypher", str(out))
    if result.exit_code != 0:  # refusing the character, with one line saying where, is a fix too
        assert result.stderr.startswith("aiorg: error:") or "not allowed" in result.stderr, result.stderr
        return
    lines = [line for line in out.read_text(encoding="utf-8").splitlines() if line and not line.startswith("//")]
    broken = [line for line in lines if not line.endswith(";")]
    assert broken == [], broken  # HEAD: 'MERGE (n:Person {id: "han-meimei"}) SET ... n.`label` = "Han Meimei'
    assert any(line.startswith('MATCH (a:Person {id: "han-meimei"})') and "han-aurora" in line for line in lines)
