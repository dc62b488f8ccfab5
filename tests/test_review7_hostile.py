"""Review 7: hostile edits to the FICTIONAL knowledge base of test_review7_kb, and `validate`'s
summary of unchecked quotes and hashes; each answer checked by hand. Nothing wrong was found here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.conftest import run_cli
from tests.test_review7_kb import write_kb


def _validate(data: Path) -> tuple[int, list[str]]:
    result = run_cli("--data", str(data), "validate")
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stderr.splitlines()


def test_a_duplicate_id_in_another_file_names_both_places(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    (data / "more.yaml").write_text(
        "people:\n  - id: chen-hua\n    name: Other\n    source: s-zh\n    quote: 陈华\n", encoding="utf-8"
    )
    code, lines = _validate(data)
    assert code == 1
    assert lines[0].endswith(
        "people.yaml:2:5: duplicate id 'chen-hua' (first defined at " + str(data / "more.yaml") + ":2)"
    )


def test_a_record_citing_an_unknown_source_is_located(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    people = data / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace("source: s-en", "source: s-nope"), encoding="utf-8")
    code, lines = _validate(data)
    assert code == 1
    assert any(
        line.endswith("people.yaml:16:13: source: unknown sources id 's-nope' (did you mean 's-en'?)") for line in lines
    ), lines


def test_a_bom_and_crlf_line_ends_are_read(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    people = data / "people.yaml"
    people.write_bytes(b"\xef\xbb\xbf" + people.read_text(encoding="utf-8").replace("\n", "\r\n").encode())
    code, _ = _validate(data)
    assert code == 0
    result = run_cli("--data", str(data), "person", "陈博士", "--section", "career", "--format", "csv")
    assert result.exit_code == 0
    assert [line.split(",")[0] for line in result.stdout.splitlines()[1:]] == ["chen-hua"] * 3


def test_a_file_not_in_utf8_is_one_located_line(tmp_path: Path) -> None:
    gbk = write_kb(tmp_path / "gbk")
    people = gbk / "people.yaml"
    people.write_bytes(people.read_text(encoding="utf-8").encode("gbk"))
    latin = write_kb(tmp_path / "latin")
    people = latin / "people.yaml"
    text = people.read_text(encoding="utf-8").replace("name: Wang Fang", "name: Wáng Fang")
    people.write_bytes(text.encode("utf-8").replace("á".encode(), b"\xe1"))  # one Latin-1 byte
    for data, where in (
        (gbk, "people.yaml:4:14: invalid UTF-8 byte 0xb3"),
        (latin, "people.yaml:9:12: invalid UTF-8 byte 0xe1"),
    ):
        result = run_cli("--data", str(data), "people")
        assert result.exit_code == 1
        first = result.stderr.splitlines()[0]
        assert first.endswith(where + "; save the file as UTF-8"), first
        assert "Traceback" not in result.stderr


def test_validate_counts_unchecked_quotes_and_checks_a_hash(tmp_path: Path) -> None:
    data = write_kb(tmp_path)
    post = data.parent / "seeds" / "post-2025.txt"
    digest = hashlib.sha256(post.read_bytes()).hexdigest()
    sources = data / "sources.yaml"
    base = sources.read_text(encoding="utf-8")
    extra = (
        "  - id: s-nofile\n    title: No text\n    kind: interview\n    published: 2025-04-02\n"
        "  - id: s-hash\n    title: Hashed\n    published: 2025-04-03\n    file: ../seeds/post-2025.txt\n"
        f"    sha256: {digest}\n"
    )
    sources.write_text(base + extra, encoding="utf-8")
    people = data / "people.yaml"
    people.write_text(
        people.read_text(encoding="utf-8").replace(
            "    quote: 研究负责人王芳\n",
            "    quote: 研究负责人王芳\n    also:\n      - source: s-nofile\n        quote: Wang Fang said so\n"
            "      - source: s-hash\n        quote: Horizon AI paid\n",
        ),
        encoding="utf-8",
    )
    result = run_cli("--data", str(data), "validate")
    assert result.exit_code == 0, result.stderr
    # 21 claims before, 2 more: one found in s-hash's text, one unchecked
    assert "ok: 20 records" in result.stdout + result.stderr
    assert "22 quotes found in their sources, 1 unchecked (sources without text: s-nofile)" in (
        result.stdout + result.stderr
    )
    sources.write_text(base + extra.replace(digest, "a" * 64), encoding="utf-8")
    code, lines = _validate(data)
    assert code == 1
    assert f"the SHA-256 of its text {data}/../seeds/post-2025.txt is {digest}, not '{'a' * 64}'" in lines[0]
