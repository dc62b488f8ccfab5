"""The change feed as JSON, written from its rows' tuples a batch at a time.

The text is the same, byte for byte, as aiorg.render.render_json writes for the same rows as dicts
(one row per line, Chinese kept readable, keys in order), but no dict is made per row and the
whole text is never held at once: a feed of everything at 100k people is 2.4 million rows and
818 MB of JSON, which took 20 s and 4 GB more than the rest of the command when written in one
piece. Each row is a fixed template of its keys with each value encoded by json's own C string
encoder (a value other than text or null, by json's encoder as render_json's does).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import IO, Any, cast

#: rows encoded and written at a time
BATCH = 20_000

_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False)
_text = cast(Any, json.encoder).encode_basestring  # the encoder's own, for ensure_ascii=False


def write_json(rows: Sequence[tuple[Any, ...]], keys: Sequence[str], stream: IO[str]) -> None:
    """Write rows (values in the order of `keys`) as render_json writes the dicts of those keys."""
    if not rows:
        stream.write("[]\n")
        return
    template = "{" + ", ".join(_text(key).replace("%", "%%") + ": %s" for key in keys) + "}"
    encode = _ENCODER.encode
    stream.write("[\n  ")
    for start in range(0, len(rows), BATCH):
        batch = ",\n  ".join(
            [
                template % tuple(["null" if v is None else _text(v) if type(v) is str else encode(v) for v in row])
                for row in rows[start : start + BATCH]
            ]
        )
        stream.write(batch if start == 0 else ",\n  " + batch)
    stream.write("\n]\n")
