"""The commitments ledger: exact records, completeness, dates, prose, filters, engine, CLI and app."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from assure_qa import Assistant, cli
from assure_qa.chunking import chunk_document
from assure_qa.commitments import extract, parse_due
from assure_qa.ingest import scan_corpus
from assure_qa.ledger import add_months, due_window, filter_commitments, stating, to_csv
from assure_qa.ui import build_demo

from .conftest import CORPUS, DERBYSHIRE, DURHAM, MINUTES, OXFORDSHIRE, FakeEmbedder

DURHAM_REFS = ([f"A1.{i}" for i in (1, 2)] + [f"A2.{i}" for i in (1, 2, 3)] + [f"A3.{i}" for i in (1, 2, 3)]
               + [f"A4.{i}" for i in (1, 2, 3)] + [f"A5.{i}" for i in (1, 2, 3, 4)] + [f"A6.{i}" for i in (1, 2, 3, 4)]
               + [f"A7.{i}" for i in range(1, 7)] + ["A8.1", "A9.1", "A9.2", "A10.1"]
               + [f"B1.{i}" for i in range(1, 11)] + [f"B2.{i}" for i in range(1, 5)]
               + [f"B3.{i}" for i in range(1, 8)] + [f"B4.{i}" for i in range(1, 8)])


@pytest.fixture(scope="module")
def ledger() -> dict[str, list]:
    return {d.doc_id: extract(d, chunk_document(d)) for d in scan_corpus(CORPUS).documents}


@pytest.fixture(scope="module")
def durham(ledger) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {c.ref: c for c in ledger[DURHAM] if c.kind == "plan action"}


def test_every_plan_reference_once_and_in_order(ledger) -> None:  # type: ignore[no-untyped-def]
    refs = [c.ref for c in ledger[DURHAM] if c.kind == "plan action"]
    assert refs == DURHAM_REFS  # 57 actions: every A- and B- reference, none duplicated


def test_a_row_whose_lead_runs_onto_the_next_line(durham) -> None:  # type: ignore[no-untyped-def]
    a12 = durham["A1.2"]
    assert a12.action == "Pilot and evaluate an Artificial Intelligence (AI) tool for social work practitioners."
    assert a12.lead == "Service Manager Operational Support"  # "Service Manager" + "Operational Support"
    assert (a12.target, a12.due) == ("Apr 25", "2025-04-30")
    assert a12.programme == "A1. Digital Innovation and Maturity"
    assert a12.themes == ("Leadership",)  # the group's CQC theme cell


def test_a_row_broken_over_lines_with_a_dropped_cell(durham) -> None:  # type: ignore[no-untyped-def]
    a61 = durham["A6.1"]
    assert a61.action == "Complete a specialist residential care/operational review."
    assert a61.lead == ("Deputy Director of Local Delivery / Deputy Head of Integrated Commissioning/ "
                        "Strategic Commissioning Manager LD MH")
    assert a61.programme == ("A6. Learning Disabilities (LD) Market Shaping: High-Cost Care Homes and "
                             "Supported Living")
    assert a61.governance == ("-LD High-Cost Project Group -LD Budget Group -QILT -LD Commissioning Strategy "
                              "-Specialist Accommodation Plan")
    assert (a61.target, a61.due) == ("Jan 25", "2025-01-31")
    a74 = durham["A7.4"]
    assert a74.target == "Review annually – from 31 March 25 and each subsequent financial year"
    assert a74.due == "2025-03-31"


def test_part_b_rows_with_sub_actions_and_priorities(durham) -> None:  # type: ignore[no-untyped-def]
    b31 = durham["B3.1"]
    assert b31.action == ("Enhance the use and timeliness of advocacy and ensure the accurate and appropriate "
                          "recording of the existence of advocates: - including system updates - Further "
                          "communication to the workforce.")
    assert (b31.lead, b31.target, b31.due, b31.priority, b31.governance) == (
        "Strategic Manager – Safeguarding", "Apr 25", "2025-04-30", "H", "QILT")
    assert b31.themes == ("Ensuring safety",)
    b13 = durham["B1.3"]
    assert b13.action.startswith("Promote carer experience and outcomes: - Ensure DCCS staff continue")
    assert b13.action.count(" - ") == 6  # its six sub-bullets, kept in order
    b22 = durham["B2.2"]
    assert b22.lead == "Strategic Manager – Safeguarding/ Strategic Commissioning Manager OP PDSS"
    assert (durham["B4.7"].target, durham["B4.7"].due, durham["B4.7"].priority) == (
        "Review annually Mar 25", "2025-03-31", "L")
    assert (durham["B3.6"].target, durham["B3.6"].due) == ("Jan 25 (and as required)", "2025-01-31")


def test_each_record_cites_its_source_row(ledger) -> None:  # type: ignore[no-untyped-def]
    texts = {d.doc_id: d.text for d in scan_corpus(CORPUS).documents}
    for doc_id, records in ledger.items():
        for record in records:
            assert texts[doc_id][record.start:record.end] == record.source
    b31 = next(c for c in ledger[DURHAM] if c.ref == "B3.1")
    assert b31.source.startswith("B3.1\tEnhance the use") and b31.source.endswith("QILT")


@pytest.mark.parametrize("text, due", [
    ("Jun 25", "2025-06-30"), ("Feb 25", "2025-02-28"), ("Review annually – from 31 March 25", "2025-03-31"),
    ("Jan 25 (and as required)", "2025-01-31"), ("Initially March 2025 and then each subsequent financial year",
                                                  "2025-03-31"),
    ("Dec 25 – then annual refresh as required (min 3 yearly)", "2025-12-31"), ("13/01/25 to 17/01/25", "2025-01-13"),
    ("Sept 2024", "2024-09-30"), ("as soon as possible", None), ("31 February 2025", None),
])
def test_target_dates(text: str, due: str | None) -> None:
    assert parse_due(text) == due


def test_prose_commitments_from_the_other_documents(ledger) -> None:  # type: ignore[no-untyped-def]
    derbyshire = [c for c in ledger[DERBYSHIRE] if c.kind == "plan"]
    assert any(c.action == "Improve recording of ethnicity and other protected characteristics to better understand "
               "how accessible adult social care is." and c.section == "Theme 1: Working with People › Plans to Improve"
               and c.themes == ("Working with people",) for c in derbyshire)
    resolutions = [c for c in ledger[MINUTES] if c.kind == "resolution"]
    assert [c.ref for c in resolutions] == [f"({n})" for n in ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")]
    # the point's marker is its ref, not part of the action
    assert resolutions[8].action == ("That the committee receive future updates on Adult Social Care and "
                                     "progress on health and social care integration.")
    timeline = {c.action: c.due for c in ledger[OXFORDSHIRE] if c.kind == "timeline"}
    assert timeline["CQC Team on site | 13/01/25 to 17/01/25"] == "2025-01-13"
    assert len(timeline) == 8
    assert not any("Statutory Guidance" in c.action and c.due for c in ledger[MINUTES])  # a date, not a target


def test_filters_windows_and_csv(ledger) -> None:  # type: ignore[no-untyped-def]
    records = [c for group in ledger.values() for c in group]
    due = filter_commitments(records, council="Durham County Council", due_before="2024-12-31")
    assert {c.ref for c in due} == {"A3.1", "A3.2", "A4.2", "A5.1", "A7.2", "A9.1"}
    safety = filter_commitments(records, theme="Ensuring safety", text="advocacy")
    assert "B3.1" in {c.ref for c in safety}
    soon = due_window(records, date(2025, 3, 1), months=1)
    assert soon and all("2025-03-01" <= c.due <= "2025-04-01" for c in soon)
    overdue = due_window(records, date(2024, 11, 1), overdue=True)
    assert {c.ref for c in overdue if c.council == "Durham County Council"} == {"A3.1", "A7.2", "A9.1"}
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    rows = list(csv.DictReader(io.StringIO(to_csv(due))))
    assert len(rows) == 6 and rows[0]["council"] == "Durham County Council" and rows[0]["ref"]


LABELLED_PLAN = """# Northfold Council: CQC Improvement Plan 2024/25

## 1. Introduction

This plan sets out the actions we will take in response to the CQC assessment published in January 2024.

## Theme 1: Working with people

### Action W1.2: Reduce the waiting list for Care Act assessments

Action: Recruit six additional social workers to the assessment team and reduce the waiting list to under 300 people.
Lead: Sarah Pengelly, Head of Adult Social Work
Target date: 31 March 2025
Status: Amber
Progress update: Four of the six posts have been filled. The waiting list stood at 412 in September 2024.

### Action W1.3: Carers' assessments

Action: Launch a new online carers' assessment.
Lead officer: Carers Lead, Commissioning
Target date: September 2024
RAG status: Complete
Progress: The online assessment went live on 2 September 2024.

## Theme 2: Providing support

| Ref | Action | Lead | Target date | Status |
|---|---|---|---|---|
| P2.1 | Re-tender the home care framework | Head of Commissioning | 30/06/2025 | Green |
| P2.2 | Open a second extra care scheme | Director of Housing | December 2025 | Red |
"""


def test_actions_written_as_labelled_lines(tmp_path: Path) -> None:
    (tmp_path / "northfold-plan.md").write_text(LABELLED_PLAN, encoding="utf-8")
    (doc,) = scan_corpus(tmp_path).documents
    actions = [c for c in extract(doc, chunk_document(doc)) if c.kind == "plan action"]
    assert [(c.ref, c.lead, c.due, c.rag) for c in actions] == [
        ("W1.2", "Sarah Pengelly, Head of Adult Social Work", "2025-03-31", "Amber"),
        ("W1.3", "Carers Lead, Commissioning", "2024-09-30", "Complete"),
        ("P2.1", "Head of Commissioning", "2025-06-30", "Green"), ("P2.2", "Director of Housing", "2025-12-31", "Red")]
    w12 = actions[0]
    assert w12.action.startswith("Recruit six additional social workers") and "Reduce the waiting list" in w12.programme
    # the record cites every labelled line, from the action to its progress update
    assert w12.source.startswith("Action: Recruit") and w12.source.endswith("412 in September 2024.")
    assert doc.text[w12.start:w12.end] == w12.source
    # no "Action:" line: the heading above names the action, its reference read off it
    (tmp_path / "northfold-plan.md").write_text("# Plan\n\n### Action W1.2: Reduce the waiting list\n\n"
                                                "Lead: Head of Adult Social Work\nTarget date: 31 March 2025\n",
                                                encoding="utf-8")
    (doc,) = scan_corpus(tmp_path).documents
    (titled,) = extract(doc, chunk_document(doc))
    assert (titled.ref, titled.action, titled.due) == ("W1.2", "Reduce the waiting list", "2025-03-31")


def test_a_question_is_answered_only_by_commitments_stating_what_it_asks(ledger) -> None:  # type: ignore[no-untyped-def]
    records = [c for doc in ledger.values() for c in doc]
    leads = stating(records, "person")
    assert leads and all(c.lead for c in leads) and len(leads) < len(records)  # prose statements name no lead
    assert all(c.target for c in stating(records, "date")) and stating(records, "list") == records
    assert stating(records, "quantity") == stating(records, "reason") == stating(records, "score") == []


def test_engine_ledger_answers_and_comparison(fake_assistant: Assistant) -> None:
    assert len(fake_assistant.commitments(council="Durham County Council", due_before="2025-06-30")) > 30
    answer = fake_assistant.ask("What has Durham committed to on advocacy, who leads it and by when?")
    assert answer.found and answer.notes == ("answered from the commitments ledger",)
    assert answer.text.startswith("B3.1: Enhance the use and timeliness of advocacy")
    assert "(Lead: Strategic Manager – Safeguarding; Target: Apr 25; Priority: H) [1]" in answer.text
    assert fake_assistant.document_text(DURHAM)[answer.citations[0].start:answer.citations[0].end].startswith("B3.1")

    # A status question is answered only by an action whose status is stated (Durham's plan gives none)
    status = fake_assistant.ask("What RAG status is Durham's advocacy action showing?")
    assert status.answer_type == "status" and "answered from the commitments ledger" not in status.notes
    assert not status.found

    # A commitment states its action, lead, target and status: not a figure or a reason. The plan row
    # covers "how much" and "why" questions' words, but they are searched as usual.
    for question, kind in (("How much will Durham's advocacy action cost?", "quantity"),
                           ("Why did Durham agree the advocacy action?", "reason")):
        searched = fake_assistant.ask(question)
        assert searched.answer_type == kind and "answered from the commitments ledger" not in searched.notes

    elsewhere = fake_assistant.ask("What has Durham committed to on advocacy?",
                                   filters={"councils": ["Darlington Borough Council"]})
    assert all(c.council == "Darlington Borough Council" for c in elsewhere.citations)  # filters apply

    comparison = fake_assistant.compare("How do councils support unpaid carers?")
    assert [f.council for f in comparison.councils] == fake_assistant.councils()
    numbers = [c.n for f in comparison.councils for c in f.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    assert all(1 <= len(f.citations) <= 3 for f in comparison.councils if f.found)
    nothing = fake_assistant.compare("What do councils do about parking permits?")
    assert all(not f.found and f.text == f"No passage found in {f.council}'s documents." for f in nothing.councils)

    view = fake_assistant.theme_view("Safeguarding")
    assert {v.council for v in view} == set(fake_assistant.councils())
    derbyshire = next(v for v in view if v.council == "Derbyshire County Council")
    assert {"plans", "evidence"} <= {p.category for p in derbyshire.passages}
    assert all(p.hit.chunk.quality_statement == "Safeguarding" for v in view for p in v.passages)


def test_cli_commitments_and_compare(fake_index, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import assure_qa.service as service

    monkeypatch.setattr(service, "make_embedder", lambda settings: FakeEmbedder())
    assert cli.main(["commitments", "--index", str(fake_index), "--council", "Durham County Council",
                     "--due-before", "2024-12-31", "--csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {r["ref"] for r in rows} == {"A3.1", "A3.2", "A4.2", "A5.1", "A7.2", "A9.1"}
    assert cli.main(["commitments", "--index", str(fake_index), "--text", "advocacy", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert any(r["ref"] == "B3.1" and r["lead"] == "Strategic Manager – Safeguarding" for r in records)
    assert cli.main(["compare", "unpaid carers support", "--index", str(fake_index), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert len(result["councils"]) == 4 and all("found" in c for c in result["councils"])
    assert cli.main(["commitments", "--index", str(fake_index), "--due-before", "31/03/25"]) == 1


def test_app_views(fake_assistant: Assistant) -> None:
    demo = build_demo(fake_assistant)
    fns = {fn.name: fn.fn for fn in demo.fns.values()}
    html = fns["compare_councils"]("How do councils support unpaid carers?", [], "All")
    assert html.count("<h4>") == 4 and "<mark>" in html
    assert "Plans" in fns["show_theme"]("Safeguarding", ["Derbyshire County Council"])
    rows, ids, count = fns["list_commitments"]("Durham County Council", "All", "", "", "2025-01-01",
                                               "Past target date", 3, "All")
    assert count == f"{len(rows)} commitments" and len(rows) == len(ids) > 0
    assert all(row[5] < "2025-01-01" for row in rows)
    rows, _, _ = fns["list_commitments"]("All", "All", "", "safeguarding", "2025-01-01", "All", 3, "All")
    assert rows and all("safeguarding" in row[3].lower() for row in rows)
    unrated, _, _ = fns["list_commitments"]("All", "All", "", "", "2025-01-01", "All", 3, "not given")
    assert len(unrated) == len(fake_assistant.commitments())  # no document gives a RAG status
    path = fns["download"]("All", "Ensuring safety", "", "", "2025-01-01", "All", 3, "All")
    with open(path, encoding="utf-8") as f:
        assert f.readline().startswith("council,ref,kind,action,lead")


@pytest.mark.parametrize("question", ["What did Durham commit to on advocacy?", "what will we do about waiting lists?",
                                      "actions on safeguarding and the front door", "plans for unpaid carers"])
def test_the_ledger_postings_find_what_reading_every_record_finds(fake_assistant: Assistant, question: str) -> None:
    from assure_qa.ledger import LedgerPostings, match
    from assure_qa.query import content_terms

    query = fake_assistant.understand(question)
    terms = content_terms(query.text, fake_assistant.names)
    records = fake_assistant.files.commitments
    idf = fake_assistant.files.sparse.idf
    for councils in ((), ("Durham County Council",)):
        expected = match(records, terms, idf, councils)
        assert expected or "advocacy" not in question  # the advocacy question has answers to compare
        assert match(LedgerPostings(records).sharing(terms), terms, idf, councils) == expected
