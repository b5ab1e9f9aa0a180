"""The options every command takes, before the group or after the command, and what a command is given.

    case-reviews [--local] [--state-file PATH] [--stack NAME] [--json] GROUP COMMAND ... [the same options]

The application's callback reads them when they come before the group; every command declares them
again (`staff_command`), so they may follow it too. A flag given in either place holds; a value given
after the command wins over one given before the group; `--state-file` implies `--local`.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

if TYPE_CHECKING:
    from case_reviews.bootstrap import Services
    from case_reviews_cli.output import Output

DEFAULT_STACK = "case-reviews-prod"
STACK_VARIABLE = "CASE_REVIEWS_STACK_NAME"
LOCAL_STATE = Path(".local") / "stack.json"
# Where the shared options are listed in each command's --help.
PANEL = "Stack and output"

LocalFlag = Annotated[bool, typer.Option("--local", help="Use the local stack instead of AWS.", rich_help_panel=PANEL)]
StateFile = Annotated[
    Path | None,
    typer.Option(
        "--state-file",
        metavar="PATH",
        help=f"The local stack's state file (default: {LOCAL_STATE}); implies --local.",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
StackName = Annotated[
    str | None,
    typer.Option(
        "--stack",
        metavar="NAME",
        help=f"The CloudFormation stack in AWS (default: ${STACK_VARIABLE} or {DEFAULT_STACK}).",
        rich_help_panel=PANEL,
        show_default=False,
    ),
]
JsonFlag = Annotated[
    bool, typer.Option("--json", help="Machine-readable output: JSON on stdout.", rich_help_panel=PANEL)
]


def iso_date(value: str) -> date:
    """A day given as YYYY-MM-DD (the parser of every date option)."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


class StaffError(Exception):
    """Something the CLI itself reports in one line on stderr, with exit status 1 (no state file, a timeout)."""


@dataclass(frozen=True)
class Given:
    """The shared options as given in one place: before the group, or after the command."""

    local: bool = False
    state_file: Path | None = None
    stack: str | None = None
    json: bool = False


@dataclass(frozen=True)
class Options:
    """The shared options a command runs with, from where they were given and their defaults."""

    local: bool
    state_file: Path
    stack: str
    json: bool

    @classmethod
    def resolve(cls, *given: Given) -> Options:
        """`given` in command-line order: a flag given anywhere holds, the last value given wins."""
        state_file = next((each.state_file for each in reversed(given) if each.state_file is not None), None)
        stack = next((each.stack for each in reversed(given) if each.stack is not None), None)
        return cls(
            local=any(each.local for each in given) or state_file is not None,
            state_file=state_file or LOCAL_STATE,
            stack=stack or os.environ.get(STACK_VARIABLE) or DEFAULT_STACK,
            json=any(each.json for each in given),
        )


def before_the_group(
    context: typer.Context,
    local: LocalFlag = False,
    state_file: StateFile = None,
    stack: StackName = None,
    json: JsonFlag = False,
) -> None:
    """The shared options given before the group, kept for the command (the application's callback)."""
    context.obj = Given(local=local, state_file=state_file, stack=stack, json=json)


class Staff:
    """What a command is given: its options, the stack's services (built when first used), the output."""

    def __init__(self, options: Options) -> None:
        self.options = options

    @cached_property
    def services(self) -> Services:
        from case_reviews_cli import stack

        return stack.connect(self.options)

    @cached_property
    def output(self) -> Output:
        from case_reviews_cli.output import Output

        return Output(as_json=self.options.json)

    def identity(self) -> str:
        """Who the audit trail names: the caller's ARN in AWS, the OS user on the local stack."""
        if self.options.local:
            import getpass

            return f"local:{getpass.getuser()}"
        from case_reviews.adapters.aws import caller_arn

        return caller_arn(self.services.clients)


_SHARED = tuple(
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=default, annotation=annotation)
    for name, default, annotation in (
        ("local", False, LocalFlag),
        ("state_file", None, StateFile),
        ("stack", None, StackName),
        ("json", False, JsonFlag),
    )
)
_CONTEXT = inspect.Parameter("_context", inspect.Parameter.KEYWORD_ONLY, annotation=typer.Context)

Command = TypeVar("Command", bound=Callable[..., Any])


def staff_command(group: typer.Typer, name: str, **settings: Any) -> Callable[[Command], Command]:
    """Register `function(staff, ...)` as the command `name` of `group`, with the shared options after it.

    Typer reads a command's options from its signature: the one registered is the function's own
    parameters (without `staff`), then the shared options, then the context (for the options given
    before the group). Called, it resolves the options and calls `function` with a `Staff`.
    """

    def register(function: Command) -> Command:
        signature = inspect.signature(function, eval_str=True)
        own = [parameter.replace(kind=inspect.Parameter.KEYWORD_ONLY) for parameter in signature.parameters.values()]
        parameters = [*own[1:], *_SHARED, _CONTEXT]

        def command(**values: Any) -> Any:
            context: typer.Context = values.pop(_CONTEXT.name)
            here = Given(**{shared.name: values.pop(shared.name) for shared in _SHARED})
            before = context.obj if isinstance(context.obj, Given) else Given()
            return function(Staff(Options.resolve(before, here)), **values)

        command.__name__ = function.__name__
        command.__qualname__ = function.__qualname__
        command.__doc__ = function.__doc__
        command.__module__ = function.__module__
        command.__signature__ = signature.replace(parameters=parameters, return_annotation=None)  # type: ignore[attr-defined]
        command.__annotations__ = {parameter.name: parameter.annotation for parameter in parameters}
        group.command(name, **settings)(command)
        return function

    return register
