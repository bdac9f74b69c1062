"""Errors a user can cause, each rendered as one clear line (never a traceback)."""

from __future__ import annotations

from dataclasses import dataclass


class IndsimError(Exception):
    """Base class for every error the command line and dashboard show as one line."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [str(self)]


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a scenario file: where it is and why it is wrong."""

    file: str
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {_short(self.path, 120)}:" if self.path else ""
        return f"{where}:{field} {_short(self.reason, 400)}"


def _short(text: str, most: int) -> str:
    """One line of readable length, whatever the input put into a message (a repr of 1 MB of text)."""
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


class ScenarioError(IndsimError):
    """A scenario file is unreadable, not YAML, or does not validate."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid scenario")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class OutputError(IndsimError):
    """Results could not be written (the destination is left as it was)."""
