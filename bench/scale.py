"""National scale: the seed corpus copied x10, x50 and x100 under fictional council names, timed.

    python bench/scale.py [--factors 10,50,100] [--embedding-sample 256] [--rounds 3]
    python bench/scale.py --factors "" --rounds 5     # the embedding speeds only; the day's runs are kept

Each copy of the five seed documents gets four fictional council names (Durham, Darlington,
Derbyshire and Oxfordshire replaced throughout the text and the manifest), so x100 is 400 councils.
The index is built with a stand-in embedder (deterministic hash vectors, 384 dimensions like
MiniLM) so only the search path is timed: build time without embedding, disk, then, in a fresh
process, the time to open the index, its resident memory, and p50/p95 of ``search``, ``ask``,
filtered search, ``compare`` (five councils), peer questions (``ask``) and the quality statement
view (every council), over the questions of eval/questions.jsonl and eval/heldout.jsonl, with the
load average next to each timing (other engineers share the cores). Then the real model's embedding
throughput (passages/s, sentences/s), in corpus order and sorted by length, with the largest
difference between the two sets of vectors. Writes bench/results/<date>-scale.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from record import machine

ROOT = Path(__file__).resolve().parent.parent
SEED_PLACES = ("Durham", "Darlington", "Derbyshire", "Oxfordshire")
FIRST = ("Ash", "Bram", "Cold", "Dun", "Elm", "Fen", "Gold", "Hart", "Ivy", "Kings", "Lark", "Mill",
         "North", "Oak", "Pen", "Rook", "Salt", "Thorn", "Wes", "York")
SECOND = ("bury", "combe", "dale", "field", "ford", "ham", "holme", "ley", "mere", "moor", "stead",
          "stow", "ton", "wick", "worth", "by", "cliffe", "hurst", "shaw", "well")
FILTERS = ({"quality_statements": ["Safeguarding"]}, {"themes": ["Ensuring safety"]},
           {"doc_types": ["self-assessment"]}, {"date_from": "2024-07", "date_to": "2024-12"})


class HashEmbedder:
    """Stand-in for the model: hashed word stems, L2-normalised, 384 dimensions. Instant."""

    name = "hash-384"

    def __init__(self) -> None:
        self.seconds = 0.0  # time spent standing in for the model, taken out of the build time

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        began = time.perf_counter()
        out = self._vectors(texts)
        self.seconds += time.perf_counter() - began
        return out

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        from assure_qa.sparse import tokenize

        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                out[row, int(hashlib.md5(token.encode()).hexdigest()[:8], 16) % 384] += 1.0
            norm = float(np.linalg.norm(out[row]))
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


def place_names(count: int) -> list[str]:
    """``count`` distinct fictional place names, always the same ones."""
    names = [a + b for b in SECOND for a in FIRST]
    if count > len(names):
        raise SystemExit(f"only {len(names)} fictional names")
    return names[:count]


def make_corpus(factor: int, into: Path) -> int:
    """``factor`` renamed copies of the seed corpus in ``into``; returns the number of councils."""
    shutil.rmtree(into, ignore_errors=True)
    into.mkdir(parents=True)
    seed = tomllib.loads((ROOT / "corpus" / "manifest.toml").read_text(encoding="utf-8"))["document"]
    names = place_names(factor * len(SEED_PLACES))
    lines = ['exclude = ["manifest.toml"]']
    for copy in range(factor):
        mapping = dict(zip(SEED_PLACES, names[copy * len(SEED_PLACES):], strict=False))
        pattern = re.compile("|".join(SEED_PLACES))

        def rename(text: str, mapping: dict[str, str] = mapping, pattern: re.Pattern[str] = pattern) -> str:
            return pattern.sub(lambda m: mapping[m.group(0)], text)

        for entry in seed:
            text = (ROOT / "corpus" / entry["file"]).read_text(encoding="utf-8")
            file = f"c{copy:03d}-{rename(entry['file'].title())}".lower()
            (into / file).write_text(rename(text), encoding="utf-8")
            described = {**entry, "file": file, "council": rename(entry["council"]), "title": rename(entry["title"])}
            lines.append("\n[[document]]")
            lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}" for key, value in described.items()]
    (into / "manifest.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return factor * len(SEED_PLACES)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def load() -> float:
    return round(os.getloadavg()[0], 2)


def timed(calls: list[Callable[[], Any]], before: Callable[[], None]) -> dict[str, float]:
    """p50/p95 in ms of ``calls``, each after ``before`` (caches cleared), with the load around them."""
    began_load, times = load(), []
    for call in calls:
        before()
        began = time.perf_counter()
        call()
        times.append((time.perf_counter() - began) * 1000)
    return {"n": len(times), "p50_ms": round(percentile(times, 0.5), 1),
            "p95_ms": round(percentile(times, 0.95), 1), "max_ms": round(max(times), 1),
            "load_before": began_load, "load_after": load()}


def questions() -> tuple[list[str], list[str]]:
    """(single-council questions, peer questions) of the dev and held-out sets, text only."""
    plain, peers = [], []
    for name in ("eval/questions.jsonl", "eval/heldout.jsonl"):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                (peers if item.get("kind") == "cross" else plain).append(item["question"])
    return plain, peers


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def serve(index: Path) -> dict[str, Any]:
    """Run in a fresh process: open the index and time every kind of question."""
    from assure_qa import Assistant, Settings

    began = time.perf_counter()
    assistant = Assistant.open(index, settings=Settings(), embedder=HashEmbedder())
    opened = time.perf_counter() - began
    rss_open = rss_mb()
    plain, peers = questions()
    councils = assistant.councils()
    five = [[councils[(i * 37 + j * 83) % len(councils)] for j in range(5)] for i in range(len(plain))]
    clear = assistant.clear_caches
    assistant.search(plain[0])  # warm-up: imports, first Chroma query
    result: dict[str, Any] = {"open_s": round(opened, 2), "councils": len(councils),
                              "passages": len(assistant.files.chunks)}
    result["search"] = timed([lambda q=q: assistant.search(q, k=10) for q in plain], clear)
    result["ask"] = timed([lambda q=q: assistant.ask(q) for q in plain], clear)
    result["filtered_search"] = timed([lambda q=q, i=i: assistant.search(q, k=10, filters=FILTERS[i % len(FILTERS)])
                                       for i, q in enumerate(plain)], clear)
    result["compare_5"] = timed([lambda q=q, c=c: assistant.compare(q, councils=c)
                                 for q, c in zip(plain, five, strict=True)], clear)
    result["peer_ask"] = timed([lambda q=q: assistant.ask(q) for q in peers], clear)
    result["peer_search"] = timed([lambda q=q: assistant.search(q, k=10) for q in peers], clear)
    statements = assistant.quality_statements()
    result["theme_view_all"] = timed([lambda s=s: assistant.theme_view(s) for s in statements], clear)
    result["rss_open_mb"], result["rss_mb"] = rss_open, rss_mb()
    return result


def disk_mb(path: Path) -> float:
    return round(sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20, 1)


def scale_run(factor: int, cache: Path) -> dict[str, Any]:
    from assure_qa import Settings
    from assure_qa.index import build_index

    corpus, index = cache / f"scale-corpus-x{factor}", cache / f"scale-index-x{factor}"
    councils = make_corpus(factor, corpus)
    shutil.rmtree(index, ignore_errors=True)
    load_before, began, stand_in = load(), time.perf_counter(), HashEmbedder()
    report = build_index(corpus, index, Settings(), stand_in)
    build = time.perf_counter() - began
    load_after, began = load(), time.perf_counter()
    noop = build_index(corpus, index, Settings(), HashEmbedder())
    noop_s = time.perf_counter() - began
    child = subprocess.run([sys.executable, __file__, "--serve", str(index)], capture_output=True, text=True,
                           check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    served = json.loads(child.stdout.strip().splitlines()[-1])
    row = {"factor": factor, "councils": councils, "documents": report.documents, "passages": report.chunks,
           "sentences": report.sentences_embedded, "build_s": round(build, 1),
           "stand_in_embed_s": round(stand_in.seconds, 1),
           "build_without_embedding_s": round(build - stand_in.seconds, 1),
           "build_load": [load_before, load_after], "noop_build_s": round(noop_s, 2),
           "noop_up_to_date": noop.up_to_date, "disk_mb": disk_mb(index), **served}
    print(json.dumps(row), flush=True)
    return row


def embedding_speed(sample: int, rounds: int) -> dict[str, Any]:
    """The real model on seed passages and sentences: corpus order against length-sorted batches."""
    from assure_qa import Settings
    from assure_qa.chunking import chunk_document, retrieval_text
    from assure_qa.dense import SentenceEmbedder
    from assure_qa.embedding import length_batches
    from assure_qa.ingest import scan_corpus
    from assure_qa.sentences import plan_vectors

    settings = Settings()
    chunks = [c for d in scan_corpus(ROOT / "corpus").documents for c in chunk_document(d, settings)]
    step = max(1, len(chunks) // sample)
    passages = [retrieval_text(c) for c in chunks[::step]][:sample]
    plan = plan_vectors((c.text for c in chunks), None)
    texts = plan.embed_texts()
    sentences = texts[::max(1, len(texts) // (2 * sample))][:2 * sample]
    model = SentenceEmbedder(settings)
    model.embed(["warm-up"])
    size = settings.embed_batch_size
    out: dict[str, Any] = {"batch": size, "rounds": rounds}
    for kind, items in (("passages", passages), ("sentences", sentences)):
        plain = [list(range(i, min(i + size, len(items)))) for i in range(0, len(items), size)]
        orders = {"corpus_order": plain, "length_sorted": length_batches(items, size)}
        vectors, rates = {}, {label: [] for label in orders}
        for _ in range(rounds):  # the two orders alternate, so a change in the shared load hits both
            for label, batches in orders.items():
                got = np.zeros((len(items), 384), dtype=np.float32)
                load_before, began = load(), time.perf_counter()
                for part in batches:
                    got[part] = model.embed([items[i] for i in part])
                rates[label].append(round(len(items) / (time.perf_counter() - began), 1))
                vectors[label] = got
                out.setdefault(f"{kind}_{label}_load", []).append(load_before)
        for label, values in rates.items():
            out[f"{kind}_{label}_rounds"] = values
            out[f"{kind}_{label}_per_s"] = max(values)  # the least disturbed round
        out[f"{kind}_n"] = len(items)
        out[f"{kind}_max_abs_diff"] = float(np.abs(vectors["corpus_order"] - vectors["length_sorted"]).max())
        out[f"{kind}_min_cosine"] = float((vectors["corpus_order"] * vectors["length_sorted"]).sum(axis=1).min())
    print(json.dumps(out), flush=True)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", default="10,50,100")
    parser.add_argument("--embedding-sample", type=int, default=256, help="passages (and twice as many sentences)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of each batch order")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from assure_qa import set_offline_environment

    set_offline_environment()
    if args.serve:
        print(json.dumps(serve(args.serve)))
        return 0
    cache = ROOT / "bench" / ".cache"
    runs = [scale_run(int(f), cache) for f in args.factors.split(",") if f]
    embedding = embedding_speed(args.embedding_sample, args.rounds) if args.embedding_sample else None
    date = datetime.now(UTC).isoformat(timespec="seconds")
    path = args.out / f"{date[:10]}-scale.json"
    commands = [shlex.join(["python", "bench/scale.py", *sys.argv[1:]])]
    if path.exists() and (not runs or embedding is None):  # a partial run the same day keeps the other part
        earlier = json.loads(path.read_text(encoding="utf-8"))
        runs, embedding = runs or earlier["runs"], embedding or earlier["embedding"]
        commands = earlier.get("commands", [earlier["command"]]) + commands
    output = {"date": date, "command": commands[0], "commands": commands, "machine": {**machine(), "nice": os.nice(0)},
              "targets_at_x100": {"p95_ms": 300, "build_s": 180, "rss_mb": 2048, "open_s": 5},
              "runs": runs, "embedding": embedding}
    args.out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(output, indent=2) + "\n", encoding="utf-8")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
