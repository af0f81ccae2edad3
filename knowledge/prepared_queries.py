"""Questions without PyTorch: what one run verified is saved beside the ONNX export, so later
processes embed questions and look up word vectors with ONNX Runtime and the Rust tokenizer alone.

Importing torch and sentence-transformers is most of a cold start (about 9 of the 12.8 s a
one-off ``storybot ask`` took). Only building the index needs them, and then they are loaded on
demand. Files, beside the exported ``onnx/<name>.onnx``:

- ``onnx/<name>.onnx.tokenizer.json``: the tokenizer the direct path was checked with;
- ``word_vectors.npy``: the model's input embedding matrix, rows normalised (float32);
- ``onnx/<name>.onnx.storybot.json``: pooling, lower-casing, dimension and format. Written
  last, so it is there only when the rest is complete.

Any missing, unreadable or foreign file means the ordinary path (with PyTorch), never an error.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from knowledge.onnx_backend import existing_export, session_options
from knowledge.onnx_queries import DirectOnnxQueries
from knowledge.word_similarity import InputEmbeddingWords

log = logging.getLogger(__name__)

FORMAT = 1
WORD_VECTORS = "word_vectors.npy"


@dataclass(frozen=True)
class PreparedQueries:
    queries: DirectOnnxQueries
    words: InputEmbeddingWords
    dimension: int


def load_prepared(
    source: Path, cache: Path, quantized: bool, threads: int
) -> PreparedQueries | None:
    """The question path for ``source`` from files a previous run saved, or None."""
    found = existing_export(source, cache, quantized)
    if found is None:
        return None
    folder, file_name = found
    try:
        meta = json.loads((folder / f"{file_name}.storybot.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            return None
        import onnxruntime
        from tokenizers import Tokenizer

        tokenizer_json = (folder / f"{file_name}.tokenizer.json").read_text(encoding="utf-8")
        session = onnxruntime.InferenceSession(
            str(folder / file_name), session_options(threads), providers=["CPUExecutionProvider"]
        )
        queries = DirectOnnxQueries(
            session, Tokenizer.from_str(tokenizer_json), meta["pooling"], meta["lower_case"]
        )
        matrix = np.load(folder / WORD_VECTORS, mmap_mode="r", allow_pickle=False)
        words = InputEmbeddingWords(_pieces(tokenizer_json), matrix, normalised=True)
        return PreparedQueries(queries, words, int(meta["dimension"]))
    except Exception as exc:  # missing, damaged or foreign files: the ordinary path
        log.debug("questions need the full model: %s", exc)
        return None


def save_prepared(
    folder: Path,
    file_name: str,
    queries: DirectOnnxQueries,
    words: InputEmbeddingWords,
    dimension: int,
) -> None:
    """Save what ``load_prepared`` needs; best effort (a read-only cache just keeps the full
    path)."""
    meta = {"format": FORMAT, "dimension": dimension, **queries.describe()}
    try:
        _write(folder / WORD_VECTORS, lambda path: np.save(path, np.asarray(words.matrix)))
        tokenizer = queries.tokenizer_json()
        _write(folder / f"{file_name}.tokenizer.json", lambda p: p.write_text(tokenizer))
        _write(folder / f"{file_name}.storybot.json", lambda p: p.write_text(json.dumps(meta)))
    except OSError as exc:
        log.debug("cannot save the question path into %s: %s", folder, exc)


def _write(path: Path, write: Callable[[Path], object]) -> None:
    """Write through a temporary file and rename, so readers never see half a file."""
    stage = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}{path.suffix}")
    try:
        write(stage)
        os.replace(stage, path)
    finally:
        stage.unlink(missing_ok=True)


def _pieces(tokenizer_json: str) -> Callable[[str], list[int]]:
    from tokenizers import Tokenizer

    plain = Tokenizer.from_str(tokenizer_json)
    plain.no_padding()
    plain.no_truncation()
    return lambda word: list(plain.encode(word, add_special_tokens=False).ids)
