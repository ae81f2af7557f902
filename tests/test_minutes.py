"""Committee minutes, decision records and committee reports as councils publish them: agenda
items as sections, resolutions as blocks whose points are commitments with an owner and a date,
padded paragraph numbers and lines broken mid-sentence. The documents are fictional."""

from __future__ import annotations

import io
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate

from assure_qa.chunking import chunk_document
from assure_qa.commitments import extract
from assure_qa.ingest import scan_corpus
from assure_qa.records import Commitment, Document
from assure_qa.resolutions import owner
from assure_qa.structure import parse
from assure_qa.units import reading_units

from .conftest import one_document

# Lines holding only spaces (written ~ here), items padded with runs of spaces, lines broken mid-sentence.
MINUTES = """ANYTOWN COUNCIL

ADULTS AND HEALTH SCRUTINY COMMITTEE

Minutes of the meeting held at Anytown Civic Centre on Tuesday, 10 September 2024
~~~
Present: Councillor P Greaves (Chair), Councillors A Bell, C Dunn and F Ortiz
~
Agenda item

4.     APOLOGIES FOR ABSENCE

Minutes:

Apologies were received from Councillor M Shah.
~~
Agenda item

5.     Adult Social Care Improvement Plan

Minutes:

The Director of Adult Social Care introduced the improvement plan, which set out
how the Council would respond to the findings of the Care Quality Commission. The
Council had 412 people waiting for a care needs assessment at the end of July, and
the longest wait was 31 weeks.
~
Members asked about carers. The Head of Commissioning advised that the Carers
Strategy would be refreshed and that 1,240 carers' assessments had been completed
in 2023/24.
~~
RESOLVED that:
~~
(a)    the improvement plan be endorsed;
(b)    the Director of Adult Social Care to report back on waiting times by March
       2025; and
(c)    the Head of Commissioning, Adults and Health, circulate the carers' survey
       results to Members by 31 October 2024.

Agenda item

6.     Safeguarding Adults Board Annual Report

Minutes:

The Independent Chair presented the annual report of the Anytown Safeguarding
Adults Board.

Resolved:

a)  That the annual report be noted.
b)  That the Board's training offer be reported to the Committee in January 2025.
""".replace("~", " ")

DECISION_RECORD = """Record of a decision by the Cabinet Member for Adult Social Care

Decision

To approve the Anytown Carers Strategy 2025-2028 and to ask the Head of Commissioning
to publish it by 30 June 2025.

Reasons for the decision

The strategy responds to the Care Quality Commission's finding that carers were
not always offered an assessment.
"""

REPORT = """Report to the Adults and Health Scrutiny Committee

3.     Background

3.1      The council received its assessment report from the Care Quality Commission in
         May 2024, with an overall rating of Requires Improvement.

3.2      The council will publish a revised Waiting Well protocol by December 2024.
"""


def _documents(tmp_path: Path) -> dict[str, Document]:
    (tmp_path / "anytown-2024-09-10-scrutiny-minutes.txt").write_text(MINUTES, encoding="utf-8")
    (tmp_path / "anytown-2025-01-carers-decision.txt").write_text(DECISION_RECORD, encoding="utf-8")
    (tmp_path / "anytown-2024-09-scrutiny-report.txt").write_text(REPORT, encoding="utf-8")
    return {d.doc_id.split("-")[-1]: d for d in scan_corpus(tmp_path).documents}


def _ledger(doc: Document) -> list[Commitment]:
    return extract(doc, chunk_document(doc))


def test_agenda_items_are_sections_and_resolutions_are_blocks(tmp_path: Path) -> None:
    doc = _documents(tmp_path)["minutes"]
    blocks = parse(doc.text)
    parts = [doc.text[b.start:b.end] for b in blocks if b.kind == "heading" and b.role == "part"]
    assert parts == ["4.     APOLOGIES FOR ABSENCE", "5.     Adult Social Care Improvement Plan",
                     "6.     Safeguarding Adults Board Annual Report"]
    resolutions = [doc.text[b.start:b.end] for b in blocks if b.kind == "resolution"]
    assert len(resolutions) == 2
    assert resolutions[0].startswith("RESOLVED that:\n  \n(a)    the improvement plan be endorsed;")
    assert resolutions[0].endswith("results to Members by 31 October 2024.")
    assert resolutions[1] == ("Resolved:\n\na)  That the annual report be noted.\nb)  That the Board's training "
                              "offer be reported to the Committee in January 2025.")
    chunks = chunk_document(doc)
    waiting = next(c for c in chunks if "412 people waiting" in c.text)
    assert waiting.section == "5.     Adult Social Care Improvement Plan"
    resolved = next(c for c in chunks if "RESOLVED that:" in c.text)
    assert resolved.section == "5.     Adult Social Care Improvement Plan"
    assert all(doc.text[c.start:c.end] == c.text for c in chunks)


def test_each_resolution_point_is_a_commitment_with_owner_and_date(tmp_path: Path) -> None:
    doc = _documents(tmp_path)["minutes"]
    records = [c for c in _ledger(doc) if c.kind == "resolution"]
    assert [(c.ref, c.lead, c.due) for c in records] == [
        ("(a)", "", None),
        ("(b)", "the Director of Adult Social Care", "2025-03-31"),
        ("(c)", "the Head of Commissioning, Adults and Health", "2024-10-31"),
        ("a)", "", None),
        ("b)", "", "2025-01-31"),
    ]
    assert records[1].action == "the Director of Adult Social Care to report back on waiting times by March 2025; and"
    assert records[1].section == "5.     Adult Social Care Improvement Plan"
    for record in records:
        assert doc.text[record.start:record.end] == record.source


def test_a_decision_record_gives_its_decision_not_its_reasons(tmp_path: Path) -> None:
    doc = _documents(tmp_path)["decision"]
    blocks = [b for b in parse(doc.text) if b.kind == "resolution"]
    assert [doc.text[b.start:b.end].split("\n")[0] for b in blocks] == ["Decision", "Reasons for the decision"]
    (record,) = _ledger(doc)
    assert record.kind == "resolution" and record.lead == "the Head of Commissioning" and record.due == "2025-06-30"
    assert record.action.startswith("To approve the Anytown Carers Strategy 2025-2028")


def test_padded_numbered_paragraphs_keep_their_numbers(tmp_path: Path) -> None:
    doc = _documents(tmp_path)["report"]
    numbered = [(b.para, doc.text[b.start:b.end].split("\n")[0]) for b in parse(doc.text) if b.kind == "numbered"]
    assert [p for p, _ in numbered] == ["3.1", "3.2"]
    (chunk,) = [c for c in chunk_document(doc) if "3.1" in c.paragraphs]
    assert chunk.section == "3.     Background" and chunk.paragraphs == ("3.1", "3.2")
    (promise,) = _ledger(doc)
    assert promise.kind == "statement" and promise.due == "2024-12-31"


def test_sentences_broken_over_lines_are_joined_and_padding_is_not_quoted(tmp_path: Path) -> None:
    docs = _documents(tmp_path)
    doc = docs["minutes"]
    chunk = next(c for c in chunk_document(doc) if "412 people waiting" in c.text)
    quoted = [u.span.text for u in reading_units(chunk.text, chunk.start, doc.text)]
    # "The" ends one line and the sentence runs on over a capitalised line.
    assert ("The\nCouncil had 412 people waiting for a care needs assessment at the end of July, and\n"
            "the longest wait was 31 weeks.") in quoted
    assert ("The Head of Commissioning advised that the Carers\nStrategy would be refreshed and that 1,240 "
            "carers' assessments had been completed\nin 2023/24.") in quoted
    resolved = next(c for c in chunk_document(doc) if "RESOLVED that:" in c.text)
    units = reading_units(resolved.text, resolved.start, doc.text)
    items = [u.span.text for u in units if u.kind == "item"]
    assert items[1] == "the Director of Adult Social Care to report back on waiting times by March\n       2025; and"
    assert all(u.lead is not None and u.lead.text == "RESOLVED that:" for u in units if u.kind == "item")
    report = docs["report"]
    (chunk,) = chunk_document(report)
    first = reading_units(chunk.text, chunk.start, report.text)[0].span.text
    assert first.startswith("The council received its assessment report")  # "3.1      " is not quoted


def test_resolution_owner_rule() -> None:
    assert owner("That the Cabinet Member for Adult Social Care be asked to write to the ICB.") == \
        "the Cabinet Member for Adult Social Care"
    assert owner("That the Committee's response be drafted by the Chair and Vice-Chair.") == "the Chair and Vice-Chair"
    assert owner("the update be noted") == ""
    assert owner("That the council should continue to take part") == ""


def test_minutes_published_as_a_pdf_read_the_same_way() -> None:
    """Agenda items set in bold between blank space, the resolution in the body font."""
    from assure_qa.readers import read_pdf

    body = ParagraphStyle("body", fontName="Helvetica", fontSize=10, leading=12, spaceAfter=8)
    bold = ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold")
    story = [Paragraph("5. Adult Social Care Improvement Plan", bold),
             Paragraph("The Director of Adult Social Care introduced the improvement plan. " * 4, body),
             Paragraph("RESOLVED that the Director of Adult Social Care report back by March 2025.", body),
             Paragraph("6. Safeguarding Adults Board Annual Report", bold),
             Paragraph("The Independent Chair presented the annual report of the Board. " * 3, body)]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4).build(story)
    text = read_pdf(out.getvalue(), "minutes.pdf").text
    blocks = parse(text)
    assert [text[b.start:b.end] for b in blocks if b.kind == "heading"] == [
        "5. Adult Social Care Improvement Plan", "6. Safeguarding Adults Board Annual Report"]
    assert [b.role for b in blocks if b.kind == "heading"] == ["part", "part"]
    (resolution,) = [b for b in blocks if b.kind == "resolution"]
    assert text[resolution.start:resolution.end] == (
        "RESOLVED that the Director of Adult Social Care report back by March 2025.")


def test_what_is_not_an_agenda_item_or_a_resolution() -> None:
    text = ("Our system\n\n1 Provider Collaborative\n\n"
            "The feedback highlighted the following strengths:\n"
            "- i. Some areas of strength recognised in specific teams, e.g. Occupational Therapy\n"
            "9. The feedback also identified areas of focus.\n\n"
            "After a long discussion of the plan the Committee unanimously\n"
            "resolved that the report be noted and that officers be thanked.\n")
    blocks = parse(text)
    assert not [b for b in blocks if b.role == "part"]  # "1 Provider Collaborative" is a count, not item 1
    # "9." after a list item is a paragraph, not a line wrap
    assert [text[b.start:b.end] for b in blocks if b.para == "9"] == ["9. The feedback also identified areas of focus."]
    assert not [b for b in blocks if b.kind == "resolution"]  # "resolved" mid-sentence


DISCUSSION = """Anytown Council
Adults Scrutiny Committee
Minutes of the meeting held on 14 October 2025

23. Safeguarding performance

The Committee received a report on safeguarding performance in the first half of 2025/26.

Councillor Lal asked why safeguarding decisions had been so slow in the summer. The Head of Safeguarding
explained that screening had been carried out by the locality teams, so concerns competed with other
urgent work, and that a central screening hub had opened in September.

Councillor Pearce asked about the number of concerns received. The Head of Safeguarding said 1,240
concerns had been received between April and September.

RESOLVED that the report be noted.
"""


def test_a_why_question_is_answered_by_the_officers_reply_quoted_with_the_members_question(tmp_path: Path) -> None:
    """Minutes record a member's question, then the reply: the question repeats the user's words but
    answers nothing, so the reply is the answer and the question its lead-in."""
    assistant = one_document(tmp_path, "anytown-2025-10-14-scrutiny-minutes.txt", DISCUSSION, "Anytown Council",
                             "minutes")
    answer = assistant.ask("Why were Anytown's safeguarding decisions so slow?")
    assert answer.found
    first = answer.citations[0]
    assert "screening had been carried out by the locality teams" in " ".join(first.quote.split())
    assert first.lead.startswith("Councillor Lal asked why")
    assert answer.text.startswith("Councillor Lal asked why")
