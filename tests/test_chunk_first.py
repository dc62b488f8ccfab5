"""Every chunk of a chunked file starts with a record, the first one too: a block of comments
before the first record, or records indented otherwise, must not make a chunk that reads as
something the whole file does not say (found by the second review of content-defined chunks)."""

from __future__ import annotations

import zlib

from aiorg.parse import parse_bytes, parse_whole


def _person(number: int, indent: str = "  ") -> str:
    inner = indent + "  "
    return f"{indent}- id: p{number}\n{inner}name: Person {number}\n{inner}source: s\n{inner}quote: q{number}\n"


def _picked() -> int:
    """A record number whose opening line the content-defined cut picks."""
    return next(n for n in range(1000) if zlib.crc32(f"  - id: p{n}".encode()) % 8 == 0)


def test_a_block_of_comments_before_the_first_record_is_not_a_chunk_of_its_own() -> None:
    comments = "".join(f"  # - id: old{n}  (withdrawn, kept for the record)\n" for n in range(400))  # ~20 KB
    text = "people:\n" + comments + _person(_picked()) + "".join(_person(n) for n in range(2000, 2600))
    assert len(comments) > 16 * 1024
    whole = parse_whole(text, "people.yaml")
    assert whole.problems == []
    chunked = parse_bytes(text.encode(), "people.yaml")
    assert chunked.problems == []  # was: 'people' must be a list of records, not the value ''
    assert chunked.payload == whole.payload


def test_a_file_a_whole_parse_refuses_is_refused() -> None:
    text = (
        "people:\n"
        + "".join(_person(n, "    ") for n in range(3000, 3300))  # > 16 KB indented four spaces
        + _person(_picked())
        + "".join(_person(n) for n in range(2000, 2400))
    )
    whole = parse_whole(text, "people.yaml")
    assert whole.problems  # a YAML syntax error where the indentation changes
    chunked = parse_bytes(text.encode(), "people.yaml")
    assert [str(p) for p in chunked.problems] == [str(p) for p in whole.problems]  # was: none at all
