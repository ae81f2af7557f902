"""Data passed between stages. Plain dataclasses: no I/O, no behaviour beyond small derivations."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Document:
    """One source document, its full text and where each page starts.

    ``text`` is the file as read (for PDFs, the extracted text of all pages joined with a
    form feed). Every offset elsewhere in the system indexes into this string.
    """

    doc_id: str
    path: str
    title: str
    council: str
    doc_type: str
    date: str
    source: str
    text: str
    sha256: str
    page_starts: tuple[int, ...] = ()
    inferred: tuple[str, ...] = ()  # which metadata fields were inferred rather than given
    encoding: str = ""  # text files: the encoding the bytes were decoded with (see readers)

    def page_at(self, offset: int) -> int | None:
        """1-based page number containing ``offset``, or None for a text without pages."""
        if not self.page_starts:
            return None
        page = 0
        for i, start in enumerate(self.page_starts):
            if start <= offset:
                page = i
            else:
                break
        return page + 1

    @property
    def doc_types(self) -> tuple[str, ...]:
        return tuple(t.strip() for t in self.doc_type.split(";") if t.strip())


@dataclass(frozen=True)
class Block:
    """An indivisible run of source text: a heading, a paragraph, a list item group, a table row."""

    kind: str  # heading | contents | paragraph | numbered | list | resolution | table_row | table_header
    start: int
    end: int
    para: str | None = None  # the document's own paragraph number, e.g. "34" or "A1.1"
    role: str | None = None  # headings: theme | qs | question | part | generic
    label: str | None = None  # headings: canonical theme/statement name, else the heading text
    header: str | None = None  # table rows: their table's header row, cells joined by " | "


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage. ``text`` is exactly ``document.text[start:end]``."""

    chunk_id: str
    doc_id: str
    council: str
    doc_type: str
    date: str
    title: str
    theme: str | None
    quality_statement: str | None
    theme_source: str  # heading | classifier | none
    qs_source: str  # heading | classifier | none
    section: str  # heading path, e.g. "CQC Theme Three › Safeguarding › How do we know?"
    paragraphs: tuple[str, ...]
    page: int | None
    start: int
    end: int
    text: str
    context: str = ""  # heading path and table header, indexed with the text but not quoted
    template: bool = False  # text a CQC report repeats word for word for every council

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["paragraphs"] = list(self.paragraphs)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Chunk:
        return cls(**{**data, "paragraphs": tuple(data.get("paragraphs", ()))})


@dataclass(frozen=True)
class Filters:
    """Restrictions the user chose. Empty tuples mean no restriction."""

    councils: tuple[str, ...] = ()
    doc_types: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    quality_statements: tuple[str, ...] = ()
    date_from: str | None = None  # inclusive, YYYY or YYYY-MM or YYYY-MM-DD
    date_to: str | None = None

    @classmethod
    def coerce(cls, value: Filters | dict[str, Any] | None) -> Filters:
        if value is None:
            return cls()
        if isinstance(value, Filters):
            return value
        fields = {}
        for key in ("councils", "doc_types", "themes", "quality_statements"):
            item = value.get(key) or value.get(key.rstrip("s")) or ()
            fields[key] = (item,) if isinstance(item, str) else tuple(item)
        return cls(**fields, date_from=value.get("date_from"), date_to=value.get("date_to"))

    def is_empty(self) -> bool:
        return self == Filters()


@dataclass(frozen=True)
class Hit:
    """A chunk returned for a question, with the scores that ranked it."""

    rank: int
    chunk: Chunk
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_similarity: float | None = None


@dataclass(frozen=True)
class Supersession:
    """A newer document of the same council that a cited one may be out of date against: of the
    same kind (``reason`` "newer <type>") or stating/covering the same quality statement."""

    doc_id: str
    title: str
    date: str
    reason: str  # "newer CQC report", "newer document on Safeguarding"


@dataclass(frozen=True)
class Citation:
    """One cited sentence: ``quote == document.text[start:end]``, inside ``passage``."""

    n: int
    chunk_id: str
    doc_id: str
    council: str
    title: str
    section: str
    paragraphs: tuple[str, ...]
    page: int | None
    start: int
    end: int
    quote: str
    passage: str
    passage_start: int
    # What the quote needs to read on its own, quoted before it: a list item's lead-in, the
    # statement a score line scores, the sentence a "This…" sentence points back to. Also an exact
    # span: ``lead == document.text[lead_start:lead_end]``; empty when the quote stands alone.
    lead: str = ""
    lead_start: int = -1
    lead_end: int = -1
    superseded_by: Supersession | None = None  # a newer document of the council on the same ground


@dataclass(frozen=True)
class Answer:
    """An extractive answer: sentences from the corpus, each marked with its citation number."""

    question: str
    found: bool
    text: str
    citations: tuple[Citation, ...]
    closest: tuple[Hit, ...] = ()  # shown when nothing answers the question
    query: str = ""  # what was searched after follow-up resolution
    notes: tuple[str, ...] = field(default_factory=tuple)
    # "direct answer": the first sentence states what was asked (a figure, date, role, score… about
    # the question's topic); "related evidence": on topic but weaker; "not found": nothing answers.
    confidence: str = ""
    answer_type: str = ""  # what the question asks for (see ``answer_types``)


@dataclass(frozen=True)
class Commitment:
    """One thing a council said it will do, with the fields its source gives.

    ``source == document.text[start:end]`` is the cited span (for a plan row, the whole row as it
    runs over lines and pages); ``action`` is the action's text with cells put back together.
    """

    commitment_id: str
    kind: str  # plan action | plan | statement | resolution | timeline
    ref: str  # "B3.1", "(iv)" or ""
    action: str
    lead: str
    target: str  # as written: "Jun 25", "Review annually – from 31 March 25"
    due: str | None  # ISO date parsed from the target, when it has one
    priority: str  # H | M | L | ""
    rag: str
    governance: str
    programme: str  # the improvement priority a plan action belongs to (Part A)
    themes: tuple[str, ...]
    council: str
    doc_id: str
    title: str
    section: str
    page: int | None
    start: int
    end: int
    source: str

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["themes"] = list(self.themes)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Commitment:
        return cls(**{**data, "themes": tuple(data.get("themes", ()))})


@dataclass(frozen=True)
class CouncilFindings:
    """One council's part of a comparison: its best cited sentences, or a plain "nothing found"."""

    council: str
    found: bool
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Comparison:
    question: str
    theme: str | None
    councils: tuple[CouncilFindings, ...]


@dataclass(frozen=True)
class ThemePassage:
    category: str  # strengths | evidence | plans | others say | overview
    hit: Hit


@dataclass(frozen=True)
class CouncilTheme:
    """What one council's documents say under one quality statement."""

    council: str
    passages: tuple[ThemePassage, ...]


@dataclass(frozen=True)
class Score:
    """A rating or score a document states for a council. A quality statement's row has
    ``quality_statement`` and ``score`` (1-4); the overall row has ``quality_statement`` None and
    ``overall_rating`` / ``overall_score`` (a percentage). Statement rows repeat the overall rating
    and percentage the same document states, when it does. ``doc[start:end]`` is the source span."""

    council: str
    quality_statement: str | None
    score: int | None
    overall_rating: str | None
    overall_score: int | None
    indicative: bool
    doc: str  # doc_id
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Score:
        return cls(**data)


@dataclass(frozen=True)
class RatingCell:
    """One cell of the ratings grid: what one document states for a council in one column (the
    overall rating, the overall percentage or a quality statement's score) and its cited source."""

    column: str
    text: str  # as shown: "3", "3*" (indicative), "Good", "64%"
    value: int  # for sorting: the score, the percentage, or the rating's rank (Inadequate 1 … Outstanding 4)
    css: str  # colour classes: "score-3", "rating-good", plus "indicative"
    score: Score
    date: str  # the stating document's date
    source: Citation | None = None  # None when the span lies in no passage


@dataclass(frozen=True)
class RatingRow:
    """A council's row of the ratings grid; ``cells`` follow the grid's columns, None where no
    document states that score."""

    council: str
    cells: tuple[RatingCell | None, ...]
