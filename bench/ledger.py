"""How many commitments the ledger finds in each document, by kind, for one version of the code.

    .venv/bin/python bench/ledger.py [--label after] [--corpus corpus --corpus eval/peer-corpus]
    .venv/bin/python bench/ledger.py --src /tmp/before/src --label before   # another checkout's code

Reads each corpus folder as ``assure-qa index`` does (manifest, readers, structure, chunking) and
runs the commitments extraction on every document; no embedding, so it takes seconds. Writes
bench/results/<date>-ledger-<label>.json with the command, date, machine and per-document counts.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from record import write_result

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="after")
    parser.add_argument("--corpus", type=Path, action="append", default=[],
                        help="a corpus folder (repeatable; default corpus and eval/peer-corpus)")
    parser.add_argument("--src", type=Path, default=ROOT / "src", help="the package to measure")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    sys.path.insert(0, str(args.src.resolve()))
    import assure_qa  # from --src, whatever checkout this script is in
    from assure_qa.chunking import chunk_document
    from assure_qa.commitments import extract
    from assure_qa.ingest import scan_corpus

    print(f"measuring {assure_qa.__file__}", flush=True)
    folders = args.corpus or [ROOT / "corpus", ROOT / "eval" / "peer-corpus"]
    documents: dict[str, dict[str, object]] = {}
    for folder in folders:
        for doc in scan_corpus(folder).documents:
            records = extract(doc, chunk_document(doc))
            kinds = Counter(r.kind for r in records)
            documents[doc.doc_id] = {
                "corpus": str(folder.relative_to(ROOT) if folder.is_relative_to(ROOT) else folder),
                "doc_type": doc.doc_type, "commitments": len(records), "by_kind": dict(sorted(kinds.items())),
                "with_lead": sum(1 for r in records if r.lead), "with_due": sum(1 for r in records if r.due)}
            print(f"{doc.doc_id}: {json.dumps(documents[doc.doc_id]['by_kind'])}", flush=True)
    write_result(args.out, f"ledger-{args.label}", {"label": args.label, "src": str(Path(assure_qa.__file__).parent),
                                                    "documents": documents})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
