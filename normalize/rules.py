"""The rule engine of the record typers: named rules, predicate → decision, evaluated first-match.

A table is a tuple of `Rule`s in priority order; `first_match` returns the first whose predicate holds
(every table ends with a catch-all). The tables live beside the logic they decide (`STEP_RULES` in
normalize.records.steps, `LINE_KIND_RULES` in normalize.records.lines, `STATUS_RULES` in
normalize.records.timeframes, `ACTOR_RULES` in normalize.records.steps, `MATERIAL_RULES` in
normalize.records.materials, `EXCLUSION_RULES` in normalize.records.exclusions); `shebao explain` prints
the name of the rule that decided each line. To change a decision, add or move a row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Context = TypeVar("Context")
Decision = TypeVar("Decision")


@dataclass(frozen=True, slots=True)
class Rule(Generic[Context, Decision]):
    """One row of a rule table: when `applies(context)` holds, the decision is `decision`."""

    name: str  # short, stable, shown by `shebao explain`
    applies: Callable[[Context], bool]
    decision: Decision


def first_match(rules: Sequence[Rule[Context, Decision]], context: Context) -> Rule[Context, Decision]:
    """The first rule whose predicate holds for the context (tables end with a catch-all)."""
    for rule in rules:
        if rule.applies(context):
            return rule
    raise LookupError(f"no rule matched {context!r}; a rule table must end with a catch-all")


def always(_: object) -> bool:
    """The catch-all predicate that closes every table."""
    return True
