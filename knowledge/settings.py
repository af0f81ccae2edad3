"""The engine's settings: one typed, validated object built from YAML and the environment."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

DEFAULT_MODEL = "default"


@dataclass(frozen=True)
class CorpusSettings:
    """Where the story's articles come from."""

    paths: tuple[str, ...] = ()
    max_file_bytes: int = 5_000_000

    def validate(self) -> None:
        if self.max_file_bytes < 1:
            raise ValueError("max_file_bytes must be positive")


@dataclass(frozen=True)
class ModelSettings:
    """The sentence-transformers model: ``default`` is the packaged all-MiniLM-L6-v2.

    ``backend`` runs the texts being indexed, ``query_backend`` the questions, on PyTorch or ONNX
    Runtime (the model is exported once into ``onnx_cache``, default the user's cache folder;
    where that cannot be done, questions fall back to PyTorch with a warning).
    ``query_quantization: int8`` quantises the query model dynamically on either runtime.
    """

    name: str = DEFAULT_MODEL
    batch_size: int = 32
    threads: int = 0
    query_quantization: Literal["none", "int8"] = "int8"
    query_cache_size: int = 512
    backend: Literal["torch", "onnx"] = "torch"
    query_backend: Literal["torch", "onnx"] = "onnx"
    onnx_cache: str | None = None

    def validate(self) -> None:
        if not self.name.strip():
            raise ValueError("name must not be empty")
        if self.batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if self.threads < 0:
            raise ValueError("threads must be 0 (automatic) or more")
        if self.query_cache_size < 0:
            raise ValueError("query_cache_size must be 0 or more")
        if self.onnx_cache is not None and not self.onnx_cache.strip():
            raise ValueError("onnx_cache must not be empty (leave it out for the default)")


@dataclass(frozen=True)
class ChunkingSettings:
    """How articles are cut into passages."""

    max_chars: int = 1000
    overlap_sentences: int = 1
    title_in_embedding: bool = True

    def validate(self) -> None:
        if self.max_chars < 200:
            raise ValueError("max_chars must be at least 200")
        if not 0 <= self.overlap_sentences <= 3:
            raise ValueError("overlap_sentences must be between 0 and 3")


@dataclass(frozen=True)
class IndexSettings:
    """Where and how the index is stored.

    ``vector_search``: ``auto`` searches exactly up to ``exact_max_passages`` passages, then
    builds ``ivf-sq8`` (``ivf_lists`` lists, 0 = about 2·√N); ``flat``, ``ivf-sq8`` and ``hnsw``
    force a structure. ``search_breadth`` (nprobe / efSearch) is tuned at build time to reach
    ``recall_target`` recall@10 unless set; it is applied when the index is opened.
    ``sentence_vectors`` is how sentence vectors are stored (int8: half the size of float16).
    """

    dir: str | None = None
    vector_search: Literal["auto", "flat", "ivf-sq8", "hnsw"] = "auto"
    exact_max_passages: int = 20_000
    ivf_lists: int = 0
    search_breadth: int = 0
    recall_target: float = 0.97
    sentence_vectors: Literal["float16", "int8"] = "float16"

    def validate(self) -> None:
        if self.dir is not None and not self.dir.strip():
            raise ValueError("dir must not be empty (leave it out for the default)")
        if self.exact_max_passages < 0:
            raise ValueError("exact_max_passages must be 0 or more")
        if self.ivf_lists != 0 and not 4 <= self.ivf_lists <= 1_000_000:
            raise ValueError("ivf_lists must be 0 (automatic) or between 4 and 1000000")
        if not 0 <= self.search_breadth <= 100_000:
            raise ValueError("search_breadth must be 0 (tuned at build) or between 1 and 100000")
        if not 0.5 <= self.recall_target <= 1.0:
            raise ValueError("recall_target must be between 0.5 and 1")


@dataclass(frozen=True)
class RetrievalSettings:
    """Hybrid retrieval: dense and BM25 candidates fused by weighted, normalised scores."""

    candidates: int = 50
    dense_weight: float = 0.4
    bm25_k1: float = 0.9
    bm25_b: float = 0.75

    def validate(self) -> None:
        if self.candidates < 1:
            raise ValueError("candidates must be at least 1")
        if not 0.0 <= self.dense_weight <= 1.0:
            raise ValueError("dense_weight must be between 0 and 1")


@dataclass(frozen=True)
class AnswerSettings:
    """Answer selection and the "I don't know" threshold."""

    max_citations: int = 3
    max_chars: int = 300
    passages_considered: int = 10
    min_confidence: float = 0.4
    related_ratio: float = 0.3

    def validate(self) -> None:
        if not 1 <= self.max_citations <= 10:
            raise ValueError("max_citations must be between 1 and 10")
        if self.max_chars < 80:
            raise ValueError("max_chars must be at least 80")
        if self.passages_considered < 1:
            raise ValueError("passages_considered must be at least 1")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise ValueError("min_confidence must be between 0 and 1")
        if not 0.0 <= self.related_ratio <= 1.0:
            raise ValueError("related_ratio must be between 0 and 1")


@dataclass(frozen=True)
class LimitSettings:
    """Input bounds."""

    max_question_chars: int = 500

    def validate(self) -> None:
        if self.max_question_chars < 10:
            raise ValueError("max_question_chars must be at least 10")


@dataclass(frozen=True)
class EngineSettings:
    """Everything the engine reads; front ends extend it with their own sections."""

    corpus: CorpusSettings = field(default_factory=CorpusSettings)
    model: ModelSettings = field(default_factory=ModelSettings)
    chunking: ChunkingSettings = field(default_factory=ChunkingSettings)
    index: IndexSettings = field(default_factory=IndexSettings)
    retrieval: RetrievalSettings = field(default_factory=RetrievalSettings)
    answer: AnswerSettings = field(default_factory=AnswerSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
