"""Review 8 (a journalist's review of sources, time and change), round A: `validate` and quote
locators against a local archived text, attacks that found nothing wrong (FICTIONAL text).

The text holds one quote twice, a Chinese full-width comma, and its SHA-256 is known: a quote
present twice is located at its first place; the ASCII comma for the full-width one is not the
same text (quotes are verbatim); a quote that is absent and a wrong hash are each one problem at
their place, exit 1.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.conftest import one_file_kb, run_cli

TEXT = "李明说：“我离开了星河智能。”后来，李明说：“我离开了星河智能。”王芳，产品负责人。\n"


def _kb(tmp_path: Path, quote: str, sha: str | None = None) -> Path:
    digest = f", sha256: '{sha}'" if sha else ""
    kb = f"""\
sources:
  - {{id: s-a, title: 测试（虚构）, published: 2024-10-08, file: ../seeds/a.txt{digest}}}
people:
  - {{id: li-ming, name: Li Ming, name_zh: 李明, source: s-a, quote: 我离开了星河智能}}
  - {{id: wang-fang, name: Wang Fang, name_zh: 王芳, source: s-a, quote: '{quote}'}}
"""
    return one_file_kb(tmp_path, kb, {"a.txt": TEXT})


def test_a_quote_present_twice_is_located_at_its_first_place(tmp_path: Path) -> None:
    sha = hashlib.sha256(TEXT.encode()).hexdigest()
    data = _kb(tmp_path, "王芳，产品负责人", sha)
    validated = run_cli("--data", str(data), "validate")
    assert validated.exit_code == 0 and "every quote found in its source" in validated.stderr
    rows = json.loads(run_cli("--data", str(data), "source", "s-a", "--format", "json").stdout)
    assert [(r["record"], r["quote"], r["locator"], r["checked"]) for r in rows] == [
        ("li-ming", "我离开了星河智能", TEXT.index("我离开了星河智能"), "found"),
        ("wang-fang", "王芳，产品负责人", TEXT.index("王芳"), "found"),
    ]
    (listed,) = json.loads(run_cli("--data", str(data), "sources", "--format", "json").stdout)
    assert (listed["text"], listed["quotes_checked"], listed["sha256"], listed["claims"]) == (
        "archived",
        True,
        "matches",
        2,
    )


def test_an_ascii_comma_for_a_full_width_one_is_not_the_quote(tmp_path: Path) -> None:
    data = _kb(tmp_path, "王芳, 产品负责人")
    validated = run_cli("--data", str(data), "validate")
    assert validated.exit_code == 1
    assert "quote not found verbatim in source 's-a': '王芳, 产品负责人'" in validated.stderr


def test_an_absent_quote_and_a_wrong_hash_are_problems(tmp_path: Path) -> None:
    data = _kb(tmp_path, "王芳，研发负责人", "a" * 64)
    validated = run_cli("--data", str(data), "validate")
    assert validated.exit_code == 1
    assert "quote not found verbatim in source 's-a': '王芳，研发负责人'" in validated.stderr
    assert f"is {hashlib.sha256(TEXT.encode()).hexdigest()}, not '{'a' * 64}' as given" in validated.stderr
    assert "2 problems found" in validated.stderr
