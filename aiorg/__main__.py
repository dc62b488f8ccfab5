"""`python -m aiorg` runs the CLI (through aiorg.entry, so Ctrl-C at start-up exits 130)."""

from aiorg.entry import run

run()
