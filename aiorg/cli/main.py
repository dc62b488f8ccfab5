"""The `aiorg` entry point: global options, command registration and error handling.

Exit codes are documented in aiorg.errors.ExitCode and the README.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from aiorg import __version__
from aiorg.cli.context import AppState

# Typer ships click either as a dependency or vendored, depending on its version;
# find click's exception classes through Typer's public BadParameter instead of importing click.
_CLICK_EXCEPTION: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "ClickException")
_CLICK_USAGE_ERROR: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")
_CLICK_ABORT: type[BaseException] = getattr(sys.modules[_CLICK_EXCEPTION.__module__], "Abort", typer.Abort)


def _report(lines: list[str]) -> None:
    for line in lines:
        sys.stderr.write(line + "\n")
    sys.stderr.flush()


def error_lines(error: BaseException) -> list[str]:
    """The stderr lines for an error raised while running a command."""
    from aiorg.errors import AiorgError, DataError

    if isinstance(error, DataError):
        count = len(error.problems)
        plural = "s" if count != 1 else ""
        return [str(p) for p in error.problems] + [f"aiorg: {count} problem{plural} found in the knowledge base"]
    if isinstance(error, AiorgError):
        return [f"aiorg: error: {error}"]
    if isinstance(error, KeyboardInterrupt):
        return ["aiorg: interrupted"]
    return [f"aiorg: internal error: {type(error).__name__}: {error} (rerun with --debug for the traceback)"]


class AiorgGroup(TyperGroup):
    """Maps library errors to one-line messages and documented exit codes, for every command."""

    def invoke(self, ctx: Any) -> Any:
        """Run the command; turn expected errors into messages and exit codes."""
        from aiorg.errors import AiorgError, ExitCode

        try:
            return super().invoke(ctx)
        except (AiorgError, KeyboardInterrupt) as error:
            _report(error_lines(error))
            code = error.exit_code if isinstance(error, AiorgError) else ExitCode.INTERRUPTED
        except BrokenPipeError:
            # The reader went away (`aiorg people | head -1`): not an error, and nothing more to say.
            _silence_stdout()
            code = ExitCode.OK
        except (_CLICK_EXCEPTION, _CLICK_ABORT, typer.Exit, typer.Abort):
            raise
        except OSError as error:
            _silence_stdout()
            _report([f"aiorg: error: cannot write output: {error.strerror or error}"])
            code = ExitCode.OUTPUT_ERROR
        except Exception as error:
            if "--debug" in sys.argv or (ctx.obj is not None and getattr(ctx.obj, "debug", False)):
                raise
            _report(error_lines(error))
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
        Path | None,
        typer.Option(
            "--data",
            metavar="DIR",
            help="Knowledge base directory of YAML files (default: $AIORG_DATA, else the bundled one).",
        ),
    ] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of internal errors.")] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Parse every YAML file; neither read nor write the cache.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """A sourced knowledge base of the AI industry's people, firms and deals.

    Example: aiorg people --left minimax
    """
    ctx.obj = AppState(data_dir=data, debug=debug, use_cache=not no_cache)


def _register() -> None:
    from aiorg.cli import export_commands, kb_commands, query_commands, strategy_commands

    for module in (kb_commands, query_commands, strategy_commands, export_commands):
        module.register(app)


_register()


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with a documented code; tracebacks only with --debug."""
    from aiorg.errors import ExitCode

    args = sys.argv[1:] if argv is None else argv
    # A command is one short process that builds large acyclic structures (records, graphs) and
    # frees little: reference counting reclaims what it does free, and the cyclic collector would
    # only re-walk everything that is still alive, over and over (minutes at 100k people).
    gc.disable()
    _tolerate_narrow_encodings()
    code: int = ExitCode.OK
    try:
        result = app(args=args, prog_name="aiorg", standalone_mode=False)
        code = result if isinstance(result, int) else ExitCode.OK
        sys.stdout.flush()
    except _CLICK_USAGE_ERROR as error:
        error.show()  # type: ignore[attr-defined]
        code = ExitCode.USAGE_ERROR
    except _CLICK_EXCEPTION as error:
        error.show()  # type: ignore[attr-defined]
        code = getattr(error, "exit_code", ExitCode.USAGE_ERROR)
    except (KeyboardInterrupt, _CLICK_ABORT, typer.Abort):
        _report(["aiorg: interrupted"])
        code = ExitCode.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`aiorg people | head -1`): not an error, and nothing more to say.
        _silence_stdout()
        code = ExitCode.OK
    except OSError as error:
        _silence_stdout()
        _report([f"aiorg: error: cannot write output: {error.strerror or error}"])
        code = ExitCode.OUTPUT_ERROR
    except Exception as error:
        if "--debug" in args:
            raise
        _report(error_lines(error))
        code = ExitCode.INTERNAL_ERROR
    _exit(code)


def _tolerate_narrow_encodings() -> None:
    """On an ASCII or Latin-1 terminal, show Chinese as escapes instead of crashing."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _exit(code: int) -> None:
    """Flush what is left (a full disk shows up here) and exit without teardown noise."""
    from aiorg.errors import ExitCode

    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    except OSError as error:
        _silence_stdout()
        if code == ExitCode.OK:
            _report([f"aiorg: error: cannot write output: {error.strerror or error}"])
            code = ExitCode.OUTPUT_ERROR
    sys.stderr.flush()
    # Everything is written: skip tearing down a large knowledge base object by object (seconds at 100k).
    os._exit(code)
