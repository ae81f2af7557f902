"""Actions written as labelled lines rather than table rows ("Action: … / Lead: … / Target date: …
/ Status: …"), as improvement plans often give them: each run of consecutive labelled lines, with
the field each label names. ``commitments`` turns a run that gives a lead or a target date into a
ledger record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .blocks import is_table_line
from .text import BULLETS

_LABELLED = re.compile(r"^[ \t>*" + BULLETS + r"-]*(?:\*\*)?([A-Za-z][A-Za-z /&'’()-]{0,30}?)(?:\*\*)?[ \t]*:"
                       r"(?:\*\*)?[ \t]+(\S.*?)[ \t]*$")
_LABELS = {
    "action": ("action", "actions", "what we will do", "commitment", "milestone", "planned action", "action required",
               "description"),
    "lead": ("lead", "lead officer", "leads", "owner", "action owner", "responsible officer", "accountable officer",
             "responsible", "senior responsible officer", "lead officer(s)"),
    "target": ("target date", "target", "due date", "due", "deadline", "by when", "timescale", "completion date",
               "target completion date", "revised target date"),
    "rag": ("status", "rag", "rag status", "rag rating", "current status", "progress status", "overall status"),
    "ref": ("ref", "reference", "action ref", "action reference", "action number", "no"),
}
_LABEL_FIELD = {label: field for field, labels in _LABELS.items() for label in labels}


@dataclass(frozen=True)
class LabelledRun:
    """Consecutive labelled lines: their span and the first value of each field they name."""

    start: int
    end: int
    fields: dict[str, str]


def labelled_runs(text: str) -> list[LabelledRun]:
    """Every run of consecutive "Label: value" lines outside tables, in document order; lines with
    labels the ledger has no field for ("Progress update:") belong to the run but give no field."""
    runs: list[LabelledRun] = []
    start = end = -1
    fields: dict[str, str] = {}
    offset = 0
    for line in [*text.split("\n"), ""]:
        found = _LABELLED.match(line) if not is_table_line(line) else None
        if found:
            if start < 0:
                start = offset + found.start(1)
            end = offset + len(line.rstrip())
            field = _LABEL_FIELD.get(found.group(1).strip().lower())
            if field:
                fields.setdefault(field, found.group(2).strip(" *"))
        elif start >= 0:
            runs.append(LabelledRun(start, end, fields))
            start, fields = -1, {}
        offset += len(line) + 1
    return runs
