"""Mapping keys are checked once per run of keys (a record's shape), not once per record: the
shortcut must still report every key problem a full check reports, whatever came before it."""

from __future__ import annotations

import yaml

from aiorg.convert import FileConverter
from aiorg.yamlsource import parse_text


def _keys(text: str) -> tuple[list[str], list[str]]:
    root = parse_text(text, "t.yaml")
    assert isinstance(root, yaml.MappingNode)
    converter = FileConverter("t.yaml")
    kept = [key.value for key, _ in converter.keys(root)]
    return kept, [p.message for p in converter.problems]


def test_a_run_of_keys_seen_before_is_kept_whole() -> None:
    for _ in range(3):
        assert _keys("alpha: 1\nbeta: 2\n") == (["alpha", "beta"], [])


def test_a_duplicate_key_is_reported_after_its_run_without_it_was_seen() -> None:
    assert _keys("gamma: 1\ndelta: 2\n") == (["gamma", "delta"], [])
    kept, problems = _keys("gamma: 1\ngamma: 2\n")
    assert kept == ["gamma"]
    assert problems == ["duplicate key 'gamma' (first at line 1); one value would be lost"]


def test_a_quoted_key_that_would_be_a_boolean_is_text_and_a_plain_one_is_refused() -> None:
    for _ in range(2):  # in both orders, and again once each has been seen
        assert _keys('"yes": 1\nepsilon: 2\n') == (["yes", "epsilon"], [])
        kept, problems = _keys("yes: 1\nepsilon: 2\n")
        assert kept == ["epsilon"]
        assert problems == ["key 'yes' would be read as bool; quote it"]


def test_a_list_or_mapping_key_is_reported_among_keys_seen_before() -> None:
    assert _keys("zeta: 1\neta: 2\n") == (["zeta", "eta"], [])
    for text in ("zeta: 1\n? [eta]\n: 2\n", "zeta: 1\n? {eta: 1}\n: 2\n"):
        kept, problems = _keys(text)
        assert kept == ["zeta"]
        assert problems == ["a mapping key must be a string, not a list or mapping"]
