"""Typed records from a section's lines: one module per record type, a thin walk over them.

- `lines`: line shapes (filler / sub-heading / item), labels, clauses, lists, channels, the walk's state;
- `steps`, `documents` + `materials`, `timeframes`, `exclusions`: one record type each, their decisions
  as first-match rule tables (`normalize.rules`) where a line's type is chosen;
- `walk`: the orchestrator (`section_records`), which also records, on request, which rule typed each
  line (`normalize.explain`).
Every regex and word table lives in normalize.patterns.
"""

from normalize.records.lines import LineKind, classify_line, split_label, split_list
from normalize.records.timeframes import find_durations
from normalize.records.walk import line_records, section_records

__all__ = ["LineKind", "classify_line", "find_durations", "line_records", "section_records", "split_label", "split_list"]
