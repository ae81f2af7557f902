"""Precomputed filter masks select exactly the passages dense.chunk_matches accepts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from assure_qa.dense import chunk_matches
from assure_qa.masks import FilterMasks
from assure_qa.records import Chunk, Filters


def chunk(cid: str, council: str, doc_type: str, date: str, theme: str | None, qs: str | None) -> Chunk:
    return Chunk(chunk_id=cid, doc_id="d", council=council, title="t", doc_type=doc_type, date=date,
                 section="s", paragraphs=(), page=None, start=0, end=1, text="x", theme=theme,
                 quality_statement=qs, theme_source="heading", qs_source="heading")


CHUNKS = {c.chunk_id: c for c in (
    chunk("a", "Durham County Council", "CQC report; scrutiny report", "2024-11-18", "Ensuring safety", "Safeguarding"),
    chunk("b", "Durham County Council", "minutes", "2024", None, None),
    chunk("c", "Derbyshire County Council", "self-assessment", "2024-02", "Working with people", None),
    chunk("d", "Oxfordshire County Council", "scrutiny report", "", "Ensuring safety", "Safe systems"),
)}
IDS = ["d", "c", "b", "a"]  # the BM25 order, not the dict's


def test_masks_equal_chunk_matches_for_every_kind_of_filter() -> None:
    masks = FilterMasks(IDS, CHUNKS)
    assert masks.mask(Filters()) is None
    cases = [
        Filters(councils=("Durham County Council",)),
        Filters(councils=("Durham County Council", "Oxfordshire County Council"), themes=("Ensuring safety",)),
        Filters(quality_statements=("Safeguarding",)),
        Filters(doc_types=("Scrutiny Report",)),
        Filters(date_from="2024-06"), Filters(date_to="2024-03-01"),
        Filters(date_from="2024-12", date_to="2025"),
        Filters(councils=("Kent County Council",)),
    ]
    expected = [[cid for cid in IDS if chunk_matches(CHUNKS[cid], f)] for f in cases]
    got = [[cid for cid, keep in zip(IDS, masks.mask(f), strict=True) if keep] for f in cases]
    assert got == expected
    assert expected[:4] == [["b", "a"], ["d", "a"], ["a"], ["d", "a"]]
    assert masks.mask(cases[1]) is masks.mask(replace(cases[1]))  # cached per distinct filter
    np.testing.assert_array_equal(masks.council("Derbyshire County Council"), [False, True, False, False])
    assert not masks.council("Kent County Council").any()
