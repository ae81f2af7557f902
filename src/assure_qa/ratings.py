"""The ratings grid: councils by overall rating, overall percentage and the nine quality statements.

Pure functions over the stored scores. Each cell holds what the newest document of the council
stating that score says (an older report is superseded by a newer one), its display text, a sort
value and its colour classes: ``score-1`` (evidence shows significant shortfalls) to ``score-4``
(an exceptional standard), ``rating-<rating>`` for the overall rating and percentage, and
``indicative`` for the 2023 pilot's indicative scores.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence

from .records import Citation, RatingCell, RatingRow, Score
from .supersession import later
from .taxonomy import QUALITY_STATEMENTS

OVERALL, PERCENT, COUNCIL = "Overall rating", "Overall %", "Council"
COLUMNS = (OVERALL, PERCENT, *(qs.name for qs in QUALITY_STATEMENTS))
SORTS = (COUNCIL, *COLUMNS)
RANK = {"Inadequate": 1, "Requires improvement": 2, "Good": 3, "Outstanding": 4}
MEANING = {1: "Evidence shows significant shortfalls", 2: "Evidence shows some shortfalls",
           3: "Evidence shows a good standard", 4: "Evidence shows an exceptional standard"}


def _states(score: Score, column: str) -> bool:
    if column == OVERALL:
        return score.quality_statement is None and score.overall_rating is not None
    if column == PERCENT:
        return score.quality_statement is None and score.overall_score is not None
    return score.quality_statement == column and score.score is not None


def cell(column: str, score: Score, date: str, source: Citation | None = None) -> RatingCell:
    """A grid cell for what ``score`` states in ``column`` (which it must state)."""
    mark = "*" if score.indicative else ""
    extra = " indicative" if score.indicative else ""
    rating_css = f"rating-{score.overall_rating.lower().replace(' ', '-')}" if score.overall_rating else "rating"
    if not _states(score, column):
        raise ValueError(f"{score.doc} states no {column!r} for {score.council}")
    if column == OVERALL and score.overall_rating:
        return RatingCell(column, score.overall_rating + mark, RANK[score.overall_rating], rating_css + extra,
                          score, date, source)
    if column == PERCENT and score.overall_score is not None:
        return RatingCell(column, f"{score.overall_score}%{mark}", score.overall_score, rating_css + extra,
                          score, date, source)
    value = score.score or 0
    return RatingCell(column, f"{value}{mark}", value, f"score-{value}{extra}", score, date, source)


def newest(scores: Sequence[Score], dates: Mapping[str, str]) -> dict[str, dict[str, Score]]:
    """Per council and column, the score stated by the council's newest document that states it
    (of documents equally dated, or undated, the first stored); councils in name order."""
    chosen: dict[str, dict[str, Score]] = {}
    for score in scores:
        row = chosen.setdefault(score.council, {})
        for column in COLUMNS:
            if _states(score, column) and (column not in row or later(dates.get(score.doc, ""),
                                                                       dates.get(row[column].doc, ""))):
                row[column] = score
    return dict(sorted(chosen.items(), key=lambda item: item[0].lower()))


def grid(scores: Sequence[Score], dates: Mapping[str, str],
         source: Callable[[Score], Citation | None] = lambda s: None) -> list[RatingRow]:
    """One row per council that has any score, each cell the newest document's, with its source."""
    return [RatingRow(council, tuple(cell(c, row[c], dates.get(row[c].doc, ""), source(row[c])) if c in row else None
                                     for c in COLUMNS))
            for council, row in newest(scores, dates).items()]


def sort_rows(rows: Sequence[RatingRow], by: str = COUNCIL, descending: bool = False) -> list[RatingRow]:
    """Rows sorted by council name or by a column's value (ties by council name); councils with no
    value in that column come last either way."""
    if by == COUNCIL:
        return sorted(rows, key=lambda r: r.council.lower(), reverse=descending)
    if by not in COLUMNS:
        raise ValueError(f"cannot sort by {by!r}: choose one of {', '.join(SORTS)}")
    at = COLUMNS.index(by)
    by_name = sorted(rows, key=lambda r: r.council.lower())
    valued = [(c.value, r) for r in by_name if (c := r.cells[at]) is not None]
    valued.sort(key=lambda pair: pair[0], reverse=descending)  # stable: ties keep council order
    return [r for _, r in valued] + [r for r in by_name if r.cells[at] is None]


def to_csv(rows: Sequence[RatingRow]) -> str:
    """The grid as CSV: council, then each column's value as a number (the rating as its word),
    whether the row's scores are indicative ("yes", "no", or the indicative columns) and the
    documents they come from (title and date)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([COUNCIL, *COLUMNS, "Indicative", "Sources"])
    for row in rows:
        present = [c for c in row.cells if c is not None]
        indicative = [c.column for c in present if c.score.indicative]
        flag = "yes" if present and len(indicative) == len(present) else "; ".join(indicative) or "no"
        sources = dict.fromkeys(f"{c.source.title} ({c.date})" if c.source else c.score.doc for c in present)
        writer.writerow([row.council, *("" if c is None else c.text.rstrip("*%") for c in row.cells),
                         flag, "; ".join(sources)])
    return out.getvalue()
