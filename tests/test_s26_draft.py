"""`aiorg draft` (session 26): the note says what the written file holds, and a move the article
states ("left A and joined B", "从A跳槽到B") gives the spell at B an `after:` naming the spell at A,
so that `aiorg flows` shows it once the draft is accepted. The articles written here are FICTIONAL."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from aiorg.cli import main
from tests.conftest import run_cli
from tests.draft_support import ARTICLES, ROOT, require_draft_extra

require_draft_extra()

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "fixtures" / "multisource"  # fictional: Xinghe AI (星河智能), Yunfan Tech (云帆科技), Li Ming (李明)

#: "wrote 4 candidates (2 people, 1 tenure, 1 deal) and the source record to out.yaml"
_WROTE = re.compile(
    r"wrote (?P<total>\d+) candidates?(?: \((?P<parts>[^;)]*)(?:; (?P<known>[^)]*) already in the knowledge base)?\))?"
    r"(?P<source> and the source record)? to (?P<path>.+)"
)
#: the nouns of the note, as the kinds (JSON) and sections (YAML) they count
_JSON_KINDS = {"person": "person", "people": "person", "role change": "role_change", "role changes": "role_change"}
_JSON_KINDS |= {w: k for k in ("firm", "group", "product", "deal", "metric", "date") for w in (k, f"{k}s")}
_YAML_SECTIONS = {"person": "people", "people": "people", "tenure": "tenures", "tenures": "tenures"}
_YAML_SECTIONS |= {w: f"{k}s" for k in ("firm", "group", "product", "deal", "metric") for w in (k, f"{k}s")}


def _counts(listed: str | None, nouns: dict[str, str]) -> Counter[str]:
    out: Counter[str] = Counter()
    for part in re.split(r", | and ", listed or ""):
        if part:
            number, noun = part.split(" ", 1)
            out[nouns[noun]] += int(number)
    return out


@pytest.fixture(autouse=True)
def registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """`accept`, registered as aiorg.cli.main will register it (if it is not yet)."""
    if "accept" not in main.COMMAND_INDEX:
        summary = "Merge the candidates a reviewer kept in a draft into the knowledge base, validated first."
        monkeypatch.setitem(main.COMMAND_INDEX, "accept", ("aiorg.cli.accept_commands", summary))


# --- 1. the note counts what the file holds ------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("article", sorted(ARTICLES.glob("*.txt")), ids=lambda p: p.stem)
@pytest.mark.parametrize("data", [ROOT / "data", FIXTURE / "data"], ids=["bundled", "fixture"])
def test_the_note_counts_the_records_the_file_holds(tmp_path: Path, fmt: str, article: Path, data: Path) -> None:
    out = tmp_path / f"draft.{fmt}"
    args = ("--data", str(data), "draft", str(article), "--source-id", "fictional-x", "--published", "2025-06-18")
    result = run_cli(*args, "--format", fmt, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("wrote ")]
    said = _WROTE.fullmatch(line)
    assert said is not None, line
    assert said["path"] == str(out)
    if fmt == "json":
        written = json.loads(out.read_text(encoding="utf-8"))
        assert said["source"] is None  # JSON holds the candidates only
        assert _counts(said["parts"], _JSON_KINDS) == Counter(c["kind"] for c in written)
        assert _counts(said["known"], _JSON_KINDS) == Counter(c["kind"] for c in written if c.get("existing"))
    else:
        held = yaml.safe_load(out.read_text(encoding="utf-8"))
        written = [r for section, records in held.items() if section != "sources" for r in records]
        assert said["source"] is not None and len(held["sources"]) == 1 and said["known"] is None
        assert _counts(said["parts"], _YAML_SECTIONS) == Counter({s: len(r) for s, r in held.items() if s != "sources"})
        assert all(r["review"] == "pending" for r in written)  # every one counted is a candidate
    assert int(said["total"]) == len(written) > 0
