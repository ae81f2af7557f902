"""Answers and hits as HTML (for the app) and plain text (for the terminal).

Every piece of document text is escaped here: a document containing ``<script>`` or
``<img onerror=…>`` shows as text. Imports no engine code.
"""

from __future__ import annotations

from html import escape

from .records import (
    Answer,
    Citation,
    Commitment,
    Comparison,
    CouncilTheme,
    Hit,
    RatingCell,
    RatingRow,
    Score,
    Supersession,
)
from .text import plain_text


def where(council: str, title: str, section: str, paragraphs: tuple[str, ...], page: int | None) -> str:
    """"Durham County Council · Title · Theme 3 › … · para 34 · p. 2" (plain text)."""
    parts = [council, title]
    if section:
        parts.append(section)
    if paragraphs:
        label = "para" if len(paragraphs) == 1 else "paras"
        parts.append(f"{label} {', '.join(paragraphs)}")
    if page:
        parts.append(f"p. {page}")
    return " · ".join(parts)


def citation_where(citation: Citation) -> str:
    return where(citation.council, citation.title, citation.section, citation.paragraphs, citation.page)


def superseded_text(newer: Supersession | None) -> str:
    """"Superseded by a newer CQC report: Title (2025-03-14)" (plain text), or "" when none."""
    if newer is None:
        return ""
    return f"Superseded by a {newer.reason}: {newer.title} ({newer.date})"


def superseded_html(citation: Citation) -> str:
    text = superseded_text(citation.superseded_by)
    return f'<p class="superseded">{escape(text)}</p>' if text else ""


def hit_where(hit: Hit) -> str:
    c = hit.chunk
    return where(c.council, c.title, c.section, c.paragraphs, c.page)


def _passage_html(passage: str, passage_start: int, quote_start: int | None = None,
                  quote_end: int | None = None, lead_start: int = -1, lead_end: int = -1) -> str:
    """The passage, escaped, line breaks kept, with the cited span (and its lead-in) in <mark>."""
    marks = sorted((a - passage_start, b - passage_start) for a, b in ((quote_start, quote_end), (lead_start, lead_end))
                   if a is not None and b is not None and passage_start <= a < b <= passage_start + len(passage))
    parts, at = [], 0
    for a, b in marks:
        if a < at:
            continue
        parts += [escape(passage[at:a]), f"<mark>{escape(passage[a:b])}</mark>"]
        at = b
    parts.append(escape(passage[at:]))
    return f'<pre class="passage">{"".join(parts)}</pre>'


def answer_markdown(answer: Answer) -> str:
    """The chat message: the answer's sentences with [n] markers (escaped for Markdown)."""
    if not answer.found:
        return escape(answer.text)
    return escape(answer.text).replace("*", "&#42;").replace("_", "&#95;")


def confidence_html(answer: Answer) -> str:
    """"Direct answer", "Partial answer", "Related evidence only" or "Not found", as a badge, and
    how the question was read ("answered from the scores", "read “statment” as “statement”")."""
    notes = f'<p class="notes">{escape("; ".join(answer.notes).capitalize())}</p>' if answer.notes else ""
    if not answer.confidence:
        return notes
    css = answer.confidence.split()[0]
    return f'<p class="confidence {escape(css)}"><b>{escape(answer.confidence.capitalize())}</b></p>' + notes


def citations_html(answer: Answer) -> str:
    """Numbered sources, each expandable to its full passage with the cited sentence marked (and
    its lead-in, when the quote is read with one, marked too)."""
    if not answer.found:
        return confidence_html(answer) + closest_html(answer.closest)
    items = []
    for c in answer.citations:
        lead = f"{escape(plain_text(c.lead))} … " if c.lead else ""
        items.append(
            f'<details class="citation" id="cite-{c.n}"><summary><b>[{c.n}]</b> '
            f"{escape(citation_where(c))}<br><q>{lead}{escape(plain_text(c.quote))}</q></summary>"
            f"{superseded_html(c)}"
            f"{_passage_html(c.passage, c.passage_start, c.start, c.end, c.lead_start, c.lead_end)}</details>")
    return confidence_html(answer) + '<div class="citations"><h4>Sources</h4>' + "".join(items) + "</div>"


def source_html(citation: Citation) -> str:
    """One cited source opened: where it is, the newer document that may supersede it, and its
    passage with the cited span marked (as a source of the Ask tab shows when opened)."""
    return (f'<div class="citations source"><p>{escape(citation_where(citation))} '
            f"(characters {citation.start}-{citation.end})</p>{superseded_html(citation)}"
            f"{_passage_html(citation.passage, citation.passage_start, citation.start, citation.end)}</div>")


def closest_html(hits: tuple[Hit, ...] | list[Hit]) -> str:
    if not hits:
        return '<div class="citations"><p>No passages matched.</p></div>'
    items = [f'<details class="closest"><summary>{escape(hit_where(h))}<br>'
             f"<q>{escape(plain_text(h.chunk.text)[:240])}…</q></summary>"
             f"{_passage_html(h.chunk.text, h.chunk.start)}</details>" for h in hits]
    return '<div class="citations"><h4>Closest matches</h4>' + "".join(items) + "</div>"


def answer_text(answer: Answer) -> str:
    lines = [answer.text, ""]
    if answer.found:
        for c in answer.citations:
            lines.append(f"[{c.n}] {citation_where(c)} (chars {c.start}-{c.end} of {c.doc_id})")
            if c.superseded_by:
                lines.append(f"    {superseded_text(c.superseded_by)}")
    else:
        lines.append("Closest matches:")
        lines.extend(f"- {hit_where(h)}: {plain_text(h.chunk.text)[:200]}" for h in answer.closest)
    return "\n".join(lines)


def hits_text(hits: list[Hit]) -> str:
    return "\n\n".join(f"{h.rank}. [{h.score:.4f}] {hit_where(h)}\n   {plain_text(h.chunk.text)[:300]}"
                       for h in hits)


def comparison_text(comparison: Comparison) -> str:
    blocks = []
    for f in comparison.councils:
        lines = [f"## {f.council}", f.text]
        lines += [f"[{c.n}] {citation_where(c)} (chars {c.start}-{c.end} of {c.doc_id})" for c in f.citations]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def commitments_text(records: list[Commitment]) -> str:
    if not records:
        return "No commitments match."
    return "\n".join(f"{r.council} | {r.ref or r.kind} | {r.action[:90]} | lead: {r.lead or '—'} | "
                     f"target: {r.target or '—'} ({r.due or 'no date'})" for r in records)


def scores_text(scores: list[Score]) -> str:
    """One line per score: council, statement (or "overall"), the score or rating and percentage."""
    if not scores:
        return "No scores match."
    lines = []
    for s in scores:
        kind = " (indicative)" if s.indicative else ""
        if s.quality_statement is None:
            percent = f" {s.overall_score}%" if s.overall_score is not None else ""
            lines.append(f"{s.council} | overall | {s.overall_rating or '—'}{percent}{kind}")
        else:
            lines.append(f"{s.council} | {s.quality_statement} | {s.score}{kind}")
    return "\n".join(lines)


def comparison_html(comparison: Comparison) -> str:
    """One card per council, side by side; councils with nothing relevant say so."""
    cards = []
    for f in comparison.councils:
        if not f.found:
            cards.append(f'<div class="card empty"><h4>{escape(f.council)}</h4><p>{escape(f.text)}</p></div>')
            continue
        sources = "".join(
            f'<details class="citation"><summary><b>[{c.n}]</b> <q>{escape(plain_text(c.quote))}</q><br>'
            f"<small>{escape(citation_where(c))}</small></summary>{superseded_html(c)}"
            f"{_passage_html(c.passage, c.passage_start, c.start, c.end)}</details>" for c in f.citations)
        cards.append(f'<div class="card"><h4>{escape(f.council)}</h4><div class="citations">{sources}</div></div>')
    return '<div class="cards">' + "".join(cards) + "</div>"


def theme_html(view: list[CouncilTheme], statement: str) -> str:
    """Per council, the passages under one quality statement, grouped by what they are."""
    cards = []
    for council in view:
        if not council.passages:
            cards.append(f'<div class="card empty"><h4>{escape(council.council)}</h4>'
                         f"<p>No passage filed under {escape(statement)}.</p></div>")
            continue
        groups: dict[str, list[str]] = {}
        for p in council.passages:
            c = p.hit.chunk
            groups.setdefault(p.category, []).append(
                f'<details class="citation"><summary>{escape(plain_text(c.text)[:160])}…<br>'
                f"<small>{escape(hit_where(p.hit))}</small></summary>{_passage_html(c.text, c.start)}</details>")
        body = "".join(f"<h5>{escape(name.capitalize())}</h5>{''.join(items)}" for name, items in groups.items())
        cards.append(f'<div class="card"><h4>{escape(council.council)}</h4><div class="citations">{body}</div></div>')
    return '<div class="cards">' + "".join(cards) + "</div>"


def _rating_cell(c: RatingCell | None, council: str, column: str) -> str:
    """A grid cell: the score, coloured by its classes, opening to its cited source."""
    where = f'data-council="{escape(council)}" data-column="{escape(column)}"'
    if c is None:
        return f'<td class="none" {where}>—</td>'
    hint = ("indicative score (2023 pilot); " if c.score.indicative else "") + (
        c.source.title if c.source else c.score.doc)
    body = source_html(c.source) if c.source else f"<p>{escape(c.score.doc)}: the span lies in no passage.</p>"
    return (f'<td class="{escape(c.css)}" {where}><details class="cell"><summary title="{escape(hint)}">'
            f'{escape(c.text)}</summary><div class="popover">{body}</div></details></td>')


def ratings_html(rows: list[RatingRow], columns: tuple[str, ...], legend: dict[int, str]) -> str:
    """The ratings grid as an HTML table: a row per council, each cell coloured by its score and
    opening to the passage that states it; a legend of the colours under it."""
    if not rows:
        return '<div class="ratings"><p>No document in the index states a rating or score.</p></div>'
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in ("Council", *columns))
    body = "".join(f'<tr><th scope="row">{escape(r.council)}</th>'
                   + "".join(_rating_cell(c, r.council, col) for c, col in zip(r.cells, columns, strict=True))
                   + "</tr>" for r in rows)
    keys = "".join(f'<span class="score-{n}">{n} {escape(text.lower())}</span>' for n, text in legend.items())
    return (f'<div class="ratings"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            f'<p class="legend">{keys}<span class="indicative">* indicative (2023 pilot)</span></p></div>')


def summary_table(rows: list[tuple[str, str, str]]) -> str:
    """What an index build did, one file a row: (what happened, file, why), aligned for a terminal."""
    width = [max(len(r[i]) for r in [("what", "file", "reason"), *rows]) for i in range(2)]
    lines = [f"{'what':<{width[0]}}  {'file':<{width[1]}}  reason"]
    lines += [f"{what:<{width[0]}}  {path:<{width[1]}}  {why}".rstrip() for what, path, why in rows]
    return "\n".join(lines)
