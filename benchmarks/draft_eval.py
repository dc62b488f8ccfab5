"""Precision and recall of `aiorg draft`, per kind, on the seed article and on two fictional ones.

    python benchmarks/draft_eval.py            # the table
    python benchmarks/draft_eval.py --errors   # and every wrong or missed candidate

An evaluation, not a timed test. Two runs per article, each through the command line
(`aiorg --data DIR draft ARTICLE --source-id eval --published DATE --format json`):

- seed / bundled: seeds/000_a8261eb4c3cf4880.txt (published 2025-06) against the bundled
  knowledge base (data/), where every name is known;
- seed / empty: the same article against an empty data folder, where every person and firm has
  to be discovered in the text;
- each fictional article of tests/draft_articles (the ones with a golden file, *.expected.json),
  against the bundled knowledge base (its golden file uses the bundled ids of the names the
  knowledge base already has, such as 張前川) and against an empty data folder.

Gold sets: for the seed, the hand-curated bundled YAML (data/*.yaml); for the fictional
articles, their golden files (*.expected.json). What is scored per kind:

- people, firms: every person and firm record of the gold set;
- role changes: each tenure that ends (person, firm, end_cause), and each tenure that starts
  and replaces none (person, firm, joined); an advisor spell that replaces another is the same
  event as the first one's end_cause advisor and is not counted twice;
- deals: every deal record, with its kind, buyers, targets, amount, valuation and stake;
- statuses: the status of every deal the gold set gives one (the knowledge base: its last
  history step; a golden file: its `status`), scored on the drafted deals that match one; a
  status the draft guessed (no word of its quote says it) is labelled "(guess)" in --errors;
- dates: every stated date of the gold set (tenure starts and ends, deal history dates, event
  dates, metric dates), except open ones ("..2025-06") and inferred ones.

Matching rules (aiorg/draft/score.py holds them, and its docstring states them in full): by
names in both scripts, folded for case, width, spaces, middle dots and traditional characters,
so the empty run is scored by the names it discovers. A person or firm candidate is right when
one of its names is a name of a gold record of its kind, once per record (a second candidate for
the same record is wrong). A role change is right when person, firm (or the firm's parent) and
cause match, joined and appointed counting as one cause. A deal is right when its kind matches,
its targets and buyers are among the gold ones (buyers empty in both or overlapping, at least
one target), and amount, valuation and stake equal the gold values (or are absent in both). A
date is right when its resolved value, which carries its precision, equals a gold date.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiorg.draft.score import KINDS, Score, gold_from_data, gold_from_file, score  # noqa: E402

SEED = ROOT / "seeds" / "000_a8261eb4c3cf4880.txt"
ARTICLES = ROOT / "tests" / "draft_articles"
TARGETS = {"people", "firms", "role_changes", "deals"}  # recall >= 0.8 and precision >= 0.7


def run_draft(article: Path, data: Path, published: str) -> list[dict[str, Any]]:
    """The candidates `aiorg draft` writes as JSON."""
    command = [sys.executable, "-m", "aiorg", "--data", str(data), "draft", str(article)]
    command += ["--source-id", "eval", "--published", published, "--format", "json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    if done.returncode != 0:
        raise SystemExit(f"draft_eval: {' '.join(command)} failed: {done.stderr.strip()}")
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--errors", action="store_true", help="list every wrong and missed candidate")
    args = parser.parse_args()
    runs: list[tuple[str, dict[str, Score]]] = []
    with tempfile.TemporaryDirectory(prefix="aiorg-draft-eval-") as empty:
        seed_gold = gold_from_data(ROOT / "data")
        runs.append(("seed / bundled", score(run_draft(SEED, ROOT / "data", "2025-06"), seed_gold)))
        runs.append(("seed / empty", score(run_draft(SEED, Path(empty), "2025-06"), seed_gold)))
        for golden in sorted(ARTICLES.glob("*.expected.json")):
            meta = json.loads(golden.read_text(encoding="utf-8"))
            article = golden.with_name(meta["article"])
            gold = gold_from_file(golden)
            for label, data in (("bundled", ROOT / "data"), ("empty", Path(empty))):
                drafted = run_draft(article, data, meta["published"])
                runs.append((f"{article.stem} / {label}", score(drafted, gold)))
    print(f"{'run':<24} {'kind':<13} {'drafted':>7} {'right':>5} {'gold':>5} {'found':>5} {'P':>5} {'R':>5}  target")
    misses = 0
    for name, scores in runs:
        for kind in KINDS:
            s = scores[kind]
            verdict = ""
            if kind in TARGETS:
                ok = s.precision >= 0.7 and s.recall >= 0.8
                verdict = "ok" if ok else "MISSED"
                misses += not ok
            print(
                f"{name:<24} {kind:<13} {s.drafted:>7} {s.right:>5} {s.expected:>5} {s.found:>5}"
                f" {s.precision:>5.2f} {s.recall:>5.2f}  {verdict}"
            )
            if args.errors:
                for label in s.wrong:
                    print(f"{'':<24}   wrong:  {label}")
                for label in s.missed:
                    print(f"{'':<24}   missed: {label}")
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
