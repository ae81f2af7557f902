"""Rendering escapes document text; the CLI speaks the JSON contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assure_qa import Settings, cli
from assure_qa.index import build_index
from assure_qa.records import Answer, Chunk, Citation, Hit
from assure_qa.render import answer_markdown, citations_html, closest_html

from .conftest import FakeEmbedder

HOSTILE = "Intro. <script>alert(1)</script> and <img src=x onerror=alert(2)> end."


def test_document_text_is_escaped_everywhere() -> None:
    citation = Citation(n=1, chunk_id="c", doc_id="d", council="<b>Evil</b> Council", title="T",
                        section="S", paragraphs=("1",), page=2, start=7, end=len(HOSTILE),
                        quote=HOSTILE[7:], passage=HOSTILE, passage_start=0)
    answer = Answer("q", True, f"{HOSTILE[7:]} [1]", (citation,))
    html = citations_html(answer) + answer_markdown(answer)
    assert "<script>" not in html and "<img" not in html and "<b>Evil" not in html
    assert "&lt;script&gt;" in html and "&lt;b&gt;Evil&lt;/b&gt; Council" in html
    assert "<mark>" in html and "para 1 · p. 2" in html
    chunk = Chunk("c", "d", "X", "minutes", "2024", "T", None, None, "none", "none", "", (), None, 0,
                  len(HOSTILE), HOSTILE)
    assert "<script>" not in closest_html([Hit(1, chunk, 0.1)])


def test_the_cited_sentence_is_marked_inside_its_passage() -> None:
    passage = "First sentence. Second sentence."
    citation = Citation(1, "c", "d", "C", "T", "S", (), None, 116, 132, "Second sentence.", passage, 100)
    html = citations_html(Answer("q", True, "Second sentence. [1]", (citation,)))
    assert "First sentence. <mark>Second sentence.</mark>" in html


def test_a_lead_in_is_shown_and_marked_with_its_item_and_the_confidence_is_a_badge() -> None:
    passage = "We will:\n• Recruit <b>twelve</b> social workers.\n• Open a hub."
    item = passage.index("Recruit")
    citation = Citation(1, "c", "d", "C", "T", "S", (), None, 50 + item, 50 + passage.index(" workers.") + 9,
                        "Recruit <b>twelve</b> social workers.", passage, 50, lead="We will:", lead_start=50,
                        lead_end=58)
    html = citations_html(Answer("q", True, "We will: … Recruit twelve social workers. [1]", (citation,),
                                 confidence="direct answer"))
    assert '<p class="confidence direct"><b>Direct answer</b></p>' in html
    assert "<q>We will: … Recruit twelve social workers.</q>" in html
    assert "<mark>We will:</mark>\n• <mark>Recruit &lt;b&gt;twelve&lt;/b&gt; social workers.</mark>\n• Open" in html
    read = citations_html(Answer("q", False, "Not found", (), notes=("read “statment” as “statement”",),
                                 confidence="not found"))
    assert '<p class="notes">Read “statment” as “statement”</p>' in read  # how the question was read


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from .conftest import CORPUS

    index = tmp_path_factory.mktemp("cli") / "index"
    build_index(CORPUS, index, Settings(), FakeEmbedder())
    return index


@pytest.fixture
def fake_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI opens the real model; these tests are about its input and output."""
    import assure_qa.service as service

    monkeypatch.setattr(service, "make_embedder", lambda settings: FakeEmbedder())


def test_search_json_and_batch(cli_index: Path, tmp_path: Path, capsys, fake_model) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["search", "DoLS waiting list", "--k", "3", "--json", "--index", str(cli_index)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    assert [h["rank"] for h in result["hits"]] == [1, 2, 3]
    keys = {"rank", "chunk_id", "doc", "council", "doc_type", "date", "theme", "quality_statement",
            "section", "page", "start", "end", "score", "text"}
    assert keys <= set(result["hits"][0])
    batch = tmp_path / "q.jsonl"
    batch.write_text(json.dumps({"id": "a", "question": "carers"}) + "\n"
                     + json.dumps({"id": "b", "question": "and in Derbyshire?", "history": ["carers"]}) + "\n")
    assert cli.main(["search", "--batch", str(batch), "--k", "2", "--index", str(cli_index)]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b"]
    assert rows[1]["hits"][0]["council"] == "Derbyshire County Council"


def test_ask_batch_quotes_are_exact(cli_index: Path, tmp_path: Path, capsys, fake_model) -> None:  # type: ignore[no-untyped-def]
    from .conftest import CORPUS

    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps({"id": i, "question": q}) for i, q in enumerate([
        "What did Durham commit to on advocacy, who leads it and by when?",
        "What is the policy on parking permits?"])) + "\n")
    assert cli.main(["ask", "--batch", str(batch), "--index", str(cli_index)]) == 0
    found, missing = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert found["found"] is True and missing["found"] is False and missing["citations"] == []
    for c in found["citations"]:
        source = next(CORPUS.glob(f"{c['doc']}.*")).read_text(encoding="utf-8")
        assert source[c["start"]:c["end"]] == c["quote"]


def test_errors_are_one_line_and_an_exit_code(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert cli.main(["ask", "carers", "--index", str(tmp_path / "missing")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("assure-qa: no index in") and err.count("\n") == 1


def test_index_command_reports_broken_files(tmp_path: Path, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import assure_qa.dense as dense

    monkeypatch.setattr(dense, "make_embedder", lambda settings: FakeEmbedder())
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("Anytown Borough Council supports unpaid carers.\n")
    (corpus / "bad.pdf").write_bytes(b"")
    assert cli.main(["index", "--corpus", str(corpus), "--index", str(tmp_path / "i"), "--quiet"]) == 0
    captured = capsys.readouterr()
    assert "failed  bad.pdf  the file is empty" in captured.out and "added   ok.txt" in captured.out
    assert "1 documents, 1 chunks (1 embedded, 0 reused, 0 removed; 1 sentences embedded)" in captured.out
