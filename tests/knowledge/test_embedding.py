"""Question embeddings: ONNX Runtime int8 by default, PyTorch when the export cannot be made."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding import SentenceTransformerEmbedder
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
