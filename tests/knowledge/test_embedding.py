"""Question embeddings: ONNX Runtime int8 by default, PyTorch when the export cannot be made."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding import SentenceTransformerEmbedder, _onnx_cache, resolve_model
from knowledge.onnx_backend import load_onnx_model
from knowledge.onnx_queries import direct_queries
from knowledge.settings import ModelSettings

QUESTIONS = ["How many children do the Baldwins have?", "Who is Ireland Baldwin's mother?"]


def test_questions_run_on_onnx_and_agree_with_the_full_precision_model(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    assert real_embedder.query_runtime == "onnx"
    fast = real_embedder.encode_queries(QUESTIONS)
    exact = real_embedder.encode(QUESTIONS)
    assert fast.shape == exact.shape == (2, real_embedder.dimension)
    assert np.allclose(np.linalg.norm(fast, axis=1), 1.0, atol=1e-4)
    assert float(np.min(np.sum(fast * exact, axis=1))) > 0.97


def test_an_unwritable_export_cache_falls_back_to_pytorch_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    settings = ModelSettings(onnx_cache=str(blocker / "onnx"))
    with caplog.at_level(logging.WARNING, logger="knowledge.embedding"):
        embedder = SentenceTransformerEmbedder(settings)
    assert embedder.query_runtime == "torch"
    assert "instead of ONNX Runtime" in caplog.text and str(blocker) in caplog.text
    vector = embedder.encode_query(QUESTIONS[0])
    exact = embedder.encode(QUESTIONS[:1])[0]
    assert float(vector @ exact) > 0.9


ODD_QUESTIONS = [
    "  Été à Zürich? 🎉 **@everyone** `code`  ",
    "tl;dr",
    " ".join(["Hilaria's Instagram followers"] * 120),  # beyond the model's 256 tokens: truncated
]


def test_questions_skip_the_library_wrapper_and_give_its_exact_vectors(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    direct = real_embedder._direct
    assert direct is not None, "the ONNX query model should get the direct path"
    questions = QUESTIONS + ODD_QUESTIONS
    settings = real_embedder.settings
    wrapper = load_onnx_model(resolve_model(settings.name), _onnx_cache(settings), True, 2)
    wrapped = wrapper.encode(questions, normalize_embeddings=True)
    fast = direct(questions)
    assert fast.dtype == np.float32 and fast.shape == wrapped.shape
    assert float(np.min(np.sum(fast * wrapped, axis=1))) > 0.9999


def test_a_model_without_an_onnx_session_keeps_the_ordinary_path(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    assert direct_queries(real_embedder._model) is None  # the PyTorch model
