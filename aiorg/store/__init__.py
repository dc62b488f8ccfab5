"""A knowledge base's records in SQLite, so that every query reads through indexes.

One store per data directory, next to the compiled cache (so under the same trust model). It
holds the records of a set of file versions that loaded and cross-checked cleanly, and it is
kept up to date file by file: after an edit only the edited file's rows are replaced.

- `schema`: the tables, typed columns, indexes and full-text index, derived from the model;
- `write`: writing a whole store, or replacing one file's rows;
- `read`: the `Store` a knowledge base reads through;
- `files`: temporaries, atomic publication, snapshots and the background writer.
"""

from aiorg.store.files import (
    BackgroundWriter,
    StreamWriter,
    die_with_parent,
    open_for_reading,
    open_for_update,
    prune,
    publish,
    temporary_next_to,
)
from aiorg.store.read import Store
from aiorg.store.schema import schema_version
from aiorg.store.write import (
    RANK_STEP,
    FileRows,
    FileVersion,
    StoreDamagedError,
    changed_records,
    delete_file,
    delete_records,
    file_order,
    free_rank,
    insert_file,
    insert_records_at,
    referenced,
    touch_file,
    versions,
    write_into,
    write_to,
)

__all__ = [
    "RANK_STEP",
    "BackgroundWriter",
    "FileRows",
    "FileVersion",
    "Store",
    "StoreDamagedError",
    "StreamWriter",
    "changed_records",
    "delete_file",
    "delete_records",
    "die_with_parent",
    "file_order",
    "free_rank",
    "insert_file",
    "insert_records_at",
    "open_for_reading",
    "open_for_update",
    "prune",
    "publish",
    "referenced",
    "schema_version",
    "temporary_next_to",
    "touch_file",
    "versions",
    "write_into",
    "write_to",
]
