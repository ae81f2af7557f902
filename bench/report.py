"""Write the README's measurement tables from the newest committed results.

    python bench/report.py            # rewrites the block between <!-- bench --> markers in README.md

Every number in that block comes from a file in bench/results/, named with its date.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
START, END = "<!-- bench -->", "<!-- /bench -->"
DEV_KEYS = ["hit@1", "hit@5", "mrr@10", "mrr@10_pooled", "hit@5_pooled",
            "ndcg@10", "hit@4000chars", "council_coverage@10",
            "council_gold_coverage@10", "abstention", "false_abstention", "answer_supported",
            "citation_validity", "ask_p50_ms"]


def newest(name: str) -> tuple[Path, dict]:
    path = sorted(RESULTS.glob(f"*-{name}.json"))[-1]
    return path, json.loads(path.read_text(encoding="utf-8"))


def fmt(value: object) -> str:
    return "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


def pipeline() -> str:
    path, r = newest("pipeline")
    c, i, lat, m = r["chunks"], r["index"], r["latency_ms"], r["machine"]
    return "\n".join([
        f"**Pipeline** (`{r['command']}`, {r['date'][:10]}, {m['cpus']} cores, Python {m['python']}; "
        f"`{path.relative_to(ROOT)}`):", "",
        "| measure | value |", "|---|---|",
        f"| passages | {c['count']} from {r['corpus']['documents']} documents (corpus `{r['corpus']['hash']}`) |",
        f"| passage length, characters | min {c['chars_min']}, median {c['chars_median']}, p95 {c['chars_p95']}, "
        f"max {c['chars_max']} |",
        f"| theme from headings / classifier / none | {c['theme_source']['heading']} / "
        f"{c['theme_source']['classifier']} / {c['theme_source']['none']} |",
        f"| full index build ({i['embedded']} passages and {i.get('sentences_embedded', '—')} sentences "
        f"embedded) | {i['full_build_s']} s |",
        f"| rebuild, nothing changed | {i['noop_build_s']} s, {i['noop_embedded']} embedded |",
        f"| `ask()` after warm-up, p50 / p95 | {lat['ask_p50']} / {lat['ask_p95']} ms |",
        f"| `search(k=10)` after warm-up, p50 / p95 | {lat['search_p50']} / {lat['search_p95']} ms |"])


def questions(name: str, label: str) -> str:
    path, r = newest(name)
    lines = [f"**{label}** ({r['questions']['count']} questions, {r['questions']['answerable']} answerable; "
             f"`{r['command']}`, {r['date'][:10]}; `{path.relative_to(ROOT)}`):", "",
             "| configuration | " + " | ".join(DEV_KEYS) + " |", "|---" * (len(DEV_KEYS) + 1) + "|"]
    for row in r["results"]:
        lines.append(f"| {row['configuration']} | " + " | ".join(fmt(row["metrics"].get(k)) for k in DEV_KEYS) + " |")
    return "\n".join(lines)


def scifact() -> str:
    path, r = newest("scifact")
    published = r["published_ndcg@10"]
    lines = [f"**BEIR SciFact** test split ({r['data']['queries']} queries, {r['data']['documents']} documents; "
             f"`{r['command']}`, {r['date'][:10]}; `{path.relative_to(ROOT)}`). Published nDCG@10: BM25 "
             f"{published['bm25_beir']} (BEIR paper), {published['bm25_anserini_flat']} (Anserini flat); "
             f"all-MiniLM-L6-v2 about {published['minilm_l6']}. Embedding the documents took "
             f"{r.get('embed_seconds') or '— (cached vectors)'} s.", "",
             "| retriever | nDCG@10 | recall@100 |", "|---|---|---|"]
    for name, scores in r["results"].items():
        lines.append(f"| {name} | {scores['ndcg@10']} | {scores['recall@100']} |")
    return "\n".join(lines)


def main() -> int:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = "\n\n".join([pipeline(), questions("dev", "Dev set"),
                           questions("heldout", "Held-out set"),
                           questions("confirm", "Confirmation set"), scifact()])
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{START}\n{block}\n{END}{tail}", encoding="utf-8")
    print(block)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
