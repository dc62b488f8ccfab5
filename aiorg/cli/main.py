"""The `aiorg` entry point: global options, command registration and error handling.

Exit codes are documented in aiorg.errors.ExitCode and the README.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from aiorg import __version__
from aiorg.cli.context import AppState
from aiorg.cli.process import (
    error_lines,
    exit_process,
    interrupted_code,
    report,
    silence_stdout,
    tolerate_narrow_encodings,
    undo_surrogates,
)
from aiorg.cli.signals import sigterm_unwinds

# Typer ships click either as a dependency or vendored, depending on its version;
# find click's exception classes through Typer's public BadParameter instead of importing click.
_CLICK_EXCEPTION: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
_CLICK_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
_CLICK_ABORT: type[BaseException] = getattr(sys.modules[_CLICK_EXCEPTION.__module__], "Abort", typer.Abort)


#: Every command: its module, and the first paragraph of its help for the `aiorg --help`
#: listing. Commands are built only when run, so `aiorg --help` and `aiorg people` do not import
#: and inspect all fifteen; tests/test_cli_basics.py keeps this table in step with the commands.
COMMAND_INDEX: dict[str, tuple[str, str]] = {
    "validate": (
        "aiorg.cli.kb_commands",
        "Check schema, references, duplicates, dates and that every quote is verbatim in its source.",
    ),
    "stats": (
        "aiorg.cli.kb_commands",
        "Count the records of each kind, and the nodes and edges a whole export writes.",
    ),
    "people": ("aiorg.cli.query_commands", "List role spells: who left, joined or is at a firm, and why."),
    "person": (
        "aiorg.cli.profile_commands",
        "Profile of one person: names, career in order, deals and offers, events, and every quote.",
    ),
    "firms": (
        "aiorg.cli.profile_commands",
        "List firms with their country, groups and counts of people, departures and deals.",
    ),
    "firm": (
        "aiorg.cli.profile_commands",
        "Profile of one firm: people who joined or left, deals on each side, products, metrics, strategy claims.",
    ),
    "deals": ("aiorg.cli.query_commands", "List deals, offers and asks, largest first, showing which number matched."),
    "timeline": (
        "aiorg.cli.query_commands",
        "Every dated fact in order: role starts and ends, deal steps, product changes, reports.",
    ),
    "search": (
        "aiorg.cli.query_commands",
        "Find people, firms, groups and products by any name, alias, title or product.",
    ),
    "path": (
        "aiorg.cli.query_commands",
        "Show every connection of up to --max-hops hops between two records, shortest first.",
    ),
    "flows": (
        "aiorg.cli.query_commands",
        "Talent flow between firms: origin → destination with the people and the evidence.",
    ),
    "strategy": (
        "aiorg.cli.strategy_commands",
        "Classify each firm's catch-up strategy from its own facts, and compare with what sources state.",
    ),
    "export": (
        "aiorg.cli.export_commands",
        "Export the graph for the tools you already use, written atomically and byte-for-byte reproducibly.",
    ),
    "sources": (
        "aiorg.cli.source_commands",
        "List every source: kind, publisher, date, whether its text is archived, and how many claims it supports.",
    ),
    "source": (
        "aiorg.cli.source_commands",
        "List every claim one source supports: the record, the field(s) it states, its quote and where the quote is.",
    ),
    "conflicts": (
        "aiorg.cli.conflict_commands",
        "List every disputed fact: each source's value side by side, the value shown first as #1.",
    ),
    "changes": (
        "aiorg.cli.change_commands",
        "What changed in the knowledge base between two git revisions, as facts, not lines.",
    ),
    "draft": (
        "aiorg.cli.draft_commands",
        "Draft candidate facts from a news article, each with its verbatim quote, for review.",
    ),
    "accept": (
        "aiorg.cli.accept_commands",
        "Merge the candidates a reviewer kept in a draft into the knowledge base, validated first.",
    ),
    "serve": (
        "aiorg.cli.serve_commands",
        "Browse and search the knowledge base in a web browser, on Datasette (needs aiorg[web]).",
    ),
    "plot": (
        "aiorg.cli.export_commands",
        "Draw the talent-flow and deal network (or a --focus neighbourhood) as PNG or SVG.",
    ),
}


def refuse_empty_values(ctx: Any, params: list[Any]) -> None:
    """An option or argument given as "" (an unset shell variable) is a usage error, never "no filter"."""
    from aiorg.errors import UsageError

    for param in params:
        value = ctx.params.get(param.name)
        values = value if isinstance(value, tuple | list) else [value]
        if any(isinstance(v, str) and not v.strip() for v in values):
            if param.param_type_name == "option":
                raise UsageError(f"{param.opts[0]}: empty value; leave the option out to apply no filter")
            raise UsageError(f"{param.human_readable_name}: empty value")


DATA_HELP = "Knowledge base directory of YAML files (default: $AIORG_DATA, else the bundled one)."
DEBUG_HELP = "Show the full traceback of internal errors."
NO_CACHE_HELP = "Parse every YAML file; neither read nor write the cache."
KNOWN_HELP = "Answer from the sources published by DATE only: what we knew then (README: What we knew when)."
#: commands that read the files or their history, not the knowledge base's facts: --known-as-of means nothing there
NOT_KNOWN_AS_OF = {
    "validate": "it checks every file as it is",
    "changes": "it compares git revisions",
    "serve": "it serves the whole knowledge base",
}


def _global_options() -> list[Any]:
    """The global options (--data, --debug, --no-cache, --known-as-of), accepted after the command name too."""
    from typer.core import TyperOption

    return [
        TyperOption(param_decls=["--data", "data"], metavar="DIR", help=DATA_HELP, default=None),
        TyperOption(param_decls=["--debug", "debug"], is_flag=True, default=False, help=DEBUG_HELP),
        TyperOption(param_decls=["--no-cache", "no_cache"], is_flag=True, default=False, help=NO_CACHE_HELP),
        TyperOption(param_decls=["--known-as-of", "known_as_of"], metavar="DATE", help=KNOWN_HELP, default=None),
    ]


GLOBAL_NAMES = ("data", "debug", "no_cache", "known_as_of")


class CheckedCommand(TyperCommand):
    """A command that takes the global options too, and refuses empty option values before it runs."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_option = [p for p in self.params if p.name == "help"]
        self.params = [p for p in self.params if p.name != "help"] + _global_options() + help_option

    def invoke(self, ctx: Any) -> Any:
        """Check the parsed values, apply the global options given here, then run the command."""
        refuse_empty_values(ctx, self.params)
        given = {name: ctx.params.pop(name, None) for name in GLOBAL_NAMES}
        state: AppState | None = ctx.find_object(AppState)
        if state is None:  # a command built on its own, outside the aiorg group (tests)
            state = ctx.ensure_object(AppState)
        if given["data"] is not None:
            state.data_dir = Path(given["data"])
        state.debug = state.debug or bool(given["debug"])
        state.use_cache = state.use_cache and not given["no_cache"]
        if given["known_as_of"] is not None:
            from aiorg.cli.parsing import known_day_of

            state.known_as_of = known_day_of(given["known_as_of"])
        refuse_known_as_of(self.name, state)
        check_data_dir(state.data_dir)
        return super().invoke(ctx)


def refuse_known_as_of(command: str | None, state: AppState) -> None:
    """--known-as-of on a command that does not answer from the facts is a usage error, never ignored."""
    from aiorg.errors import UsageError

    if state.known_as_of is not None and command in NOT_KNOWN_AS_OF:
        raise UsageError(f"--known-as-of: not for '{command}': {NOT_KNOWN_AS_OF[command]}")


def check_data_dir(explicit: Path | None) -> None:
    """A missing --data or $AIORG_DATA directory, or a file given as one, is a usage error (exit 2)."""
    from aiorg.errors import UsageError
    from aiorg.paths import DATA_ENV

    if explicit is not None:
        where, path = "--data", explicit
    elif os.environ.get(DATA_ENV):
        where, path = f"${DATA_ENV}", Path(os.environ[DATA_ENV])
    else:
        return
    if path.is_file():
        hint = f"; give the directory that holds it: --data {path.parent}" if path.suffix in (".yaml", ".yml") else ""
        raise UsageError(f"{where}: {path} is a file, not a knowledge base directory{hint}")
    if not path.is_dir():
        raise UsageError(f"{where}: no such directory: {path}")


def build_command(name: str) -> Any:
    """The click command for one entry of COMMAND_INDEX, imported and built on first use."""
    import importlib

    import typer.main

    module = importlib.import_module(COMMAND_INDEX[name][0])
    single = typer.Typer(add_completion=False, pretty_exceptions_enable=False, rich_markup_mode=None)
    single.command(name=name, cls=CheckedCommand)(module.COMMANDS[name])
    return typer.main.get_command(single)


class _LazyCommands(MutableMapping[str, Any]):
    """The group's commands by name: every name is known up front, each command is built when asked for."""

    def __init__(self) -> None:
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            if name not in COMMAND_INDEX:
                raise KeyError(name)
            self._built[name] = build_command(name)
        return self._built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter({**dict.fromkeys(COMMAND_INDEX), **self._built})

    def __len__(self) -> int:
        return len({**dict.fromkeys(COMMAND_INDEX), **self._built})


class AiorgGroup(TyperGroup):
    """Builds commands on first use, and maps library errors to one-line messages and documented
    exit codes, for every command."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        self.commands = _LazyCommands()

    def list_commands(self, ctx: Any) -> list[str]:
        """Every command, in the order of COMMAND_INDEX."""
        return list(self.commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of `aiorg --help`, from COMMAND_INDEX, without building any command."""
        limit = formatter.width - 6 - max(len(name) for name in COMMAND_INDEX)
        rows = [
            (name, TyperCommand(name=name, help=summary).get_short_help_str(limit))
            for name, (_, summary) in COMMAND_INDEX.items()
        ]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn expected errors into messages and exit codes."""
        from aiorg.errors import AiorgError, ExitCode

        try:
            refuse_empty_values(ctx, self.params)
            return super().invoke(ctx)
        except (AiorgError, KeyboardInterrupt) as error:
            report(error_lines(error))
            code = error.exit_code if isinstance(error, AiorgError) else interrupted_code(error)
        except BrokenPipeError:
            # The reader went away (`aiorg people | head -1`): not an error, and nothing more to say.
            silence_stdout()
            code = ExitCode.OK
        except (_CLICK_EXCEPTION, _CLICK_ABORT, typer.Exit, typer.Abort):
            raise
        except OSError as error:
            silence_stdout()
            report([f"aiorg: error: cannot write output: {error.strerror or error}"])
            code = ExitCode.OUTPUT_ERROR
        except Exception as error:
            if "--debug" in sys.argv or (ctx.obj is not None and getattr(ctx.obj, "debug", False)):
                raise
            report(error_lines(error))
            code = ExitCode.INTERNAL_ERROR
        ctx.exit(code)


app = typer.Typer(
    name="aiorg",
    cls=AiorgGroup,
    help=(
        "A sourced knowledge base of the AI industry's people, firms and deals.\n\nExample: aiorg people --left minimax"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"aiorg {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    data: Annotated[
        str | None,
        typer.Option(
            "--data",
            metavar="DIR",
            help=DATA_HELP,
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help=DEBUG_HELP)] = False,
    no_cache: Annotated[bool, typer.Option("--no-cache", help=NO_CACHE_HELP)] = False,
    known_as_of: Annotated[str | None, typer.Option("--known-as-of", metavar="DATE", help=KNOWN_HELP)] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A sourced knowledge base of the AI industry's people, firms and deals.

    Example: aiorg people --left minimax
    """
    from aiorg.cli.parsing import known_day_of

    ctx.obj = AppState(
        data_dir=Path(data) if data is not None else None,
        debug=debug,
        use_cache=not no_cache,
        known_as_of=known_day_of(known_as_of),
    )


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with a documented code; tracebacks only with --debug."""
    from aiorg.errors import ExitCode

    args = [undo_surrogates(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    # A command is one short process that builds large acyclic structures (records, graphs) and
    # frees little: reference counting reclaims what it does free, and the cyclic collector would
    # only re-walk everything that is still alive, over and over (minutes at 100k people).
    gc.disable()
    tolerate_narrow_encodings()
    code: int = ExitCode.OK
    try:
        with sigterm_unwinds():
            result = app(args=args, prog_name="aiorg", standalone_mode=False)
        code = result if isinstance(result, int) else ExitCode.OK
        sys.stdout.flush()
    except _CLICK_EXCEPTION as error:
        report([click_error_line(error, args)])
        code = getattr(error, "exit_code", ExitCode.USAGE_ERROR)
    except (KeyboardInterrupt, _CLICK_ABORT, typer.Abort) as error:
        # Click's Abort is how it reports a Ctrl-C at a prompt.
        report(error_lines(error if isinstance(error, KeyboardInterrupt) else KeyboardInterrupt()))
        code = interrupted_code(error)
    except BrokenPipeError:
        # The reader went away (`aiorg people | head -1`): not an error, and nothing more to say.
        silence_stdout()
        code = ExitCode.OK
    except OSError as error:
        silence_stdout()
        report([f"aiorg: error: cannot write output: {error.strerror or error}"])
        code = ExitCode.OUTPUT_ERROR
    except Exception as error:
        if "--debug" in args:
            raise
        report(error_lines(error))
        code = ExitCode.INTERNAL_ERROR
    exit_process(code)


def click_error_line(error: Exception, args: list[str]) -> str:
    """Click's usage errors (three lines: usage, hint, message) as aiorg's one line, with the
    command whose help explains the options."""
    message = " ".join(str(getattr(error, "format_message", error.__str__)()).split())
    if message[:1].isupper() and message[1:2].islower():
        message = message[0].lower() + message[1:]
    context = getattr(error, "ctx", None)
    command = next((arg for arg in args if arg in COMMAND_INDEX), None)
    path = context.command_path if context is not None else "aiorg" + (f" {command}" if command else "")
    where = f" (see '{path} --help')"
    return f"aiorg: error: {message.rstrip('.')}{where}"
