"""A strategy page's queries find its listed firms by id, not by reading every top firm.

`strategy` asks some thirty queries for a page of firms, each starting from the family tree of
the firms on the page. The tree's first step tested `parent IS NULL` by its index, which holds
every firm with no parent (10,000 at 100k people), and only then the ids: each query read them
all, and the page grew with the knowledge base. The roots are now found by id through the
records' index, whatever SQLite's planner would prefer, so the plan is checked here."""

from __future__ import annotations

from aiorg.kb import KnowledgeBase
from aiorg.queries import ANY_TIME
from aiorg.strategy_query import query, tree


def _plan(kb: KnowledgeBase, roots: list[str] | None) -> list[str]:
    return [
        str(row[-1]) for row in query(kb, "EXPLAIN QUERY PLAN " + tree(roots) + " SELECT id FROM tree", ANY_TIME, roots)
    ]


def _first_step(plan: list[str]) -> list[str]:
    """The plan's lines before the recursive step: how the tree's roots are found."""
    return plan[: next(i for i, line in enumerate(plan) if "RECURSIVE STEP" in line)]


def test_listed_roots_are_found_by_id(bundled_kb: KnowledgeBase) -> None:
    first = _first_step(_plan(bundled_kb, ["meta", "google"]))
    assert any("records_id" in line for line in first), first
    assert not any("firms__parent" in line for line in first), first


def test_the_tree_of_given_roots_is_theirs(bundled_kb: KnowledgeBase) -> None:
    sql = tree(["google", "meta"]) + " SELECT id, root FROM tree ORDER BY root, id"
    found = query(bundled_kb, sql, ANY_TIME, ["google", "meta"])
    assert found == [("deepmind", "google"), ("google", "google"), ("meta", "meta"),
                     ("meta-superintelligence-team", "meta")]  # fmt: skip
    every = query(bundled_kb, tree(None) + " SELECT id, root FROM tree", ANY_TIME, None)
    assert set(found) <= set(every) and len(every) > len(found)
