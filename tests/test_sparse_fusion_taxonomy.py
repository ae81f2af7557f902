"""Tokeniser, BM25, RRF by hand, and the CQC name variants."""

from __future__ import annotations

import pytest

from assure_qa.fusion import boost, ranked, round_robin, rrf
from assure_qa.sparse import SparseIndex, tokenize
from assure_qa.taxonomy import (
    canonical_quality_statement,
    canonical_theme,
    classify,
    quality_statement_from_heading,
    theme_from_heading,
)


def test_tokenize_acronyms_numbers_and_british_spellings() -> None:
    assert tokenize("DoLS and LAIR: 1313 open") == ["dol", "lair", "1313", "open"]
    assert tokenize("organisation") == tokenize("organization")
    assert tokenize("behaviour") == tokenize("behavior")
    assert tokenize("programme") == tokenize("program")
    assert tokenize("Safeguarding enquiries") == tokenize("safeguard enquiry")
    assert tokenize("what is the of and") == []


def test_bm25_ranks_filters_and_persists(tmp_path) -> None:  # type: ignore[no-untyped-def]
    index = SparseIndex.build(["a", "b", "c"], [
        "safeguarding enquiries completed within 20 days",
        "carers support and respite for unpaid carers",
        "safeguarding adults board annual report"], k1=1.2, b=0.75)
    assert [cid for cid, _ in index.search("safeguarding enquiries", 10)] == ["a", "c"]
    assert [cid for cid, _ in index.search("safeguarding", 10, index.mask({"c", "z"}))] == ["c"]
    assert index.search("parking", 10) == []
    index.save(tmp_path)
    again = SparseIndex.load(tmp_path)
    assert again.search("unpaid carers", 1) == index.search("unpaid carers", 1)


def test_rrf_values_by_hand() -> None:
    fused = rrf([["a", "b", "c"], ["b", "d"]], k=60)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63)
    assert fused["d"] == pytest.approx(1 / 62)
    assert [cid for cid, _ in ranked(fused)] == ["b", "a", "d", "c"]
    weighted = rrf([["a"], ["b"]], k=10, weights=[2.0, 1.0])
    assert weighted == {"a": pytest.approx(2 / 11), "b": pytest.approx(1 / 11)}
    with pytest.raises(ValueError):
        rrf([["a"]], weights=[1.0, 2.0])


def test_boost_and_round_robin() -> None:
    assert boost({"a": 1.0, "b": 0.5}, {"b": 3.0}) == {"a": 1.0, "b": 1.5}
    council = {"d1": "Durham", "d2": "Durham", "x1": "Oxon", "d3": "Durham", "y1": "Derby", "x2": "Oxon"}
    assert round_robin(["d1", "d2", "x1", "d3", "y1", "x2"], council.__getitem__) == [
        "d1", "x1", "y1", "d2", "d3", "x2"]
    assert round_robin([], council.__getitem__) == []


@pytest.mark.parametrize("line, theme", [
    ("CQC Theme Two: Providing support.", "Providing support"),
    ("Theme 3: Ensuring Safety", "Ensuring safety"),
    ("CQC Theme Three: Ensuring safety - How the local authority ensures safety within the system.",
     "Ensuring safety"),
    ("Theme 1 Working with People", "Working with people"),
    ("Theme Four", "Leadership"),
    ("Themes and strategic objectives", None),
])
def test_theme_headings(line: str, theme: str | None) -> None:
    assert theme_from_heading(line) == theme


@pytest.mark.parametrize("line, statement", [
    ("Quality statement one: Assessing needs:", "Assessing needs"),
    ("Quality statement three: Equity in experiences and outcomes", "Equity in experiences and outcomes"),
    ("Quality statement one: Safe systems, pathways, and transitions.", "Safe pathways, systems and transitions"),
    ("Quality Statement two: Leadership – Learning, improvement, and innovation:",
     "Learning, improvement and innovation"),
    ("Quality statement two: Care provision, integration, and continuity",
     "Care provision, integration and continuity"),
])
def test_quality_statement_headings(line: str, statement: str) -> None:
    assert quality_statement_from_heading(line, None) == statement


def test_canonical_names_and_classifier() -> None:
    assert canonical_theme("3") == "Ensuring safety"
    assert canonical_theme("Ensuring Safety") == "Ensuring safety"
    assert canonical_quality_statement("Equity in experience and outcomes") == "Equity in experiences and outcomes"
    with pytest.raises(ValueError, match="unknown CQC theme"):
        canonical_theme("Parking")
    statement, score = classify("The number of open DoLS fell; s.42 enquiries and Making Safeguarding Personal.")
    assert statement == "Safeguarding" and score >= 3
    assert classify("The weather was fine.") == (None, 0.0)


def test_acronyms_are_mined_from_definitions_and_added_for_long_forms() -> None:
    from assure_qa.acronyms import expand, mine

    found = mine(["A Safeguarding Adults Review (SARS) was held.", "Deprivation of Liberty Safeguards (DoLS)",
                  "Principal Social Worker (Adults)", "Personal Assistants (PAs) and Multi-Disciplinary Team (MDT)"])
    assert found == {
        "dol": {"short": ["DoLS"], "long": ["Deprivation of Liberty Safeguards"]},
        "mdt": {"short": ["MDT"], "long": ["Multi-Disciplinary Team"]},
        "pas": {"short": ["PAs"], "long": ["Personal Assistants"]},
        "sar": {"short": ["SARS"], "long": ["Safeguarding Adults Review"]},
    }
    assert expand("How do councils learn from safeguarding adults reviews?", found).endswith(" SARS")
    assert expand("What is the DoLS backlog?", found) == "What is the DoLS backlog?"
