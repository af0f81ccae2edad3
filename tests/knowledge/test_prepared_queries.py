"""Questions without PyTorch: a later process embeds questions from the files the first one
checked and saved, with the same vectors and word vectors, and never imports torch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedding import SentenceTransformerEmbedder, _onnx_cache, resolve_model
from knowledge.onnx_backend import existing_export
from knowledge.settings import ModelSettings

QUESTIONS = ["How many folowers did hilria have?", "Who is Ireland Baldwin's mother? 🎉"]
WORDS = ["kids", "children", "Hilaria", "birthday", "childern"]

CHILD = """
import json, sys
import numpy as np
from knowledge.embedding import SentenceTransformerEmbedder
from knowledge.settings import ModelSettings
embedder = SentenceTransformerEmbedder(ModelSettings(onnx_cache=sys.argv[1] or None))
vectors = embedder.encode_queries(json.loads(sys.argv[2]))
words = embedder.word_vectors()
print(json.dumps({
    "torch": "torch" in sys.modules or "sentence_transformers" in sys.modules,
    "runtime": embedder.query_runtime,
    "vectors": vectors.tolist(),
    "words": words.vectors(json.loads(sys.argv[3])).tolist(),
    "common": [words.is_common(w) for w in json.loads(sys.argv[3])],
}))
"""


def _child(cache: str) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", CHILD, cache, json.dumps(QUESTIONS), json.dumps(WORDS)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return dict(json.loads(result.stdout))


def _export_folder() -> Path:
    settings = ModelSettings()
    found = existing_export(Path(resolve_model(settings.name)), _onnx_cache(settings), True)
    assert found is not None, "the session's embedder exported the model"
    return found[0]


def _expected(embedder: SentenceTransformerEmbedder) -> tuple[np.ndarray, np.ndarray]:
    vectors = embedder.encode_queries(QUESTIONS)
    words = embedder.word_vectors()
    assert words is not None
    return vectors, words.vectors(WORDS)


def test_a_later_process_answers_questions_without_torch(
    real_embedder: SentenceTransformerEmbedder,
) -> None:
    vectors, words = _expected(real_embedder)  # the session's embedder saved the files
    child = _child("")
    assert child["torch"] is False and child["runtime"] == "onnx"
    assert np.allclose(np.array(child["vectors"]), vectors, atol=1e-5)
    assert np.allclose(np.array(child["words"]), words, atol=1e-6)
    full = real_embedder.word_vectors()
    assert full is not None
    assert child["common"] == [full.is_common(w) for w in WORDS]
    assert child["common"][0] is True and child["common"][-1] is False  # "kids", "childern"


@pytest.mark.parametrize(
    "damage",
    [
        lambda folder: (folder / "word_vectors.npy").write_bytes(b"not numpy"),
        lambda folder: next(folder.glob("onnx/*.storybot.json")).write_text("{"),
        lambda folder: next(folder.glob("onnx/*.tokenizer.json")).unlink(),
    ],
    ids=["word-vectors", "settings", "tokenizer"],
)
def test_damaged_or_missing_files_mean_the_full_model_which_saves_them_again(
    tmp_path: Path, real_embedder: SentenceTransformerEmbedder, damage: object
) -> None:
    vectors, words = _expected(real_embedder)
    source = _export_folder()
    folder = tmp_path / "onnx" / source.name
    shutil.copytree(source, folder)
    damage(folder)  # type: ignore[operator]
    repaired = _child(str(tmp_path / "onnx"))
    assert repaired["torch"] is True and repaired["runtime"] == "onnx"
    assert np.allclose(np.array(repaired["vectors"]), vectors, atol=1e-5)
    again = _child(str(tmp_path / "onnx"))
    assert again["torch"] is False
    assert np.allclose(np.array(again["words"]), words, atol=1e-6)
