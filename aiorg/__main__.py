"""`python -m aiorg` runs the CLI."""

from aiorg.cli.main import main

main()
