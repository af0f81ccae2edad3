"""Questions straight through the ONNX Runtime session: the Rust tokenizer, one ``session.run``
and the pooling in NumPy, without sentence-transformers' per-call machinery.

For one short question that machinery (processor dispatch, torch tensors in and out of optimum,
torch pooling) costs about 2.5 ms on top of a 5-8 ms model run. The direct path is used only for
the shape it reproduces exactly (a Transformer on an ONNX session, mean or CLS pooling, an
optional Normalize) and only after it gave the same vectors as the model on probe sentences;
anything else keeps the ordinary path.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

_PROBES = ("How many Instagram followers did Hilaria have?", "tl;dr", "Été à Zürich? 🎉 @everyone")
_INPUTS = {"input_ids", "attention_mask", "token_type_ids"}


class DirectOnnxQueries:
    """Embeds short texts with an ONNX session; L2-normalised float32 rows."""

    def __init__(self, session: Any, tokenizer: Any, pooling: str, lower_case: bool) -> None:
        self._session = session
        self._tokenizer = tokenizer
        self._pooling = pooling
        self._lower_case = lower_case
        self._inputs = [i.name for i in session.get_inputs()]

    def describe(self) -> dict[str, Any]:
        """What besides the session and tokenizer it needs to be made again."""
        return {"pooling": self._pooling, "lower_case": self._lower_case}

    def tokenizer_json(self) -> str:
        """The tokenizer as used here (truncation and padding included)."""
        return str(self._tokenizer.to_str())

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        cleaned = [t.strip().lower() if self._lower_case else t.strip() for t in texts]
        encodings = self._tokenizer.encode_batch(cleaned)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        tokens = self._session.run(None, {k: feed[k] for k in self._inputs})[0]
        if self._pooling == "cls":
            pooled = tokens[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (tokens * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)


def direct_queries(model: Any) -> DirectOnnxQueries | None:
    """A direct path for ``model`` (a SentenceTransformer on ONNX Runtime), or None when its
    shape is not one this reproduces or the probe vectors disagree."""
    try:
        direct = _build(model)
        if direct is None:
            return None
        expected = model.encode(list(_PROBES), normalize_embeddings=True, convert_to_numpy=True)
        agreement = float(np.min(np.sum(direct(_PROBES) * expected, axis=1)))
    except Exception as exc:  # internals of another library version: keep the ordinary path
        log.debug("no direct ONNX path for questions: %s", exc)
        return None
    if agreement < 0.9999:
        log.debug("no direct ONNX path for questions: probe cosine %.5f", agreement)
        return None
    return direct


def _build(model: Any) -> DirectOnnxQueries | None:
    modules = list(model)
    names = [type(m).__name__ for m in modules]
    if names not in (["Transformer", "Pooling"], ["Transformer", "Pooling", "Normalize"]):
        return None
    transformer, pooling = modules[0], modules[1]
    session = getattr(transformer.auto_model, "session", None) or transformer.auto_model.model
    if not hasattr(session, "run") or not {i.name for i in session.get_inputs()} <= _INPUTS:
        return None
    mode = _pooling_mode(pooling.get_config_dict())
    backend = getattr(transformer.tokenizer, "backend_tokenizer", None)
    if mode is None or backend is None:
        return None
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_str(backend.to_str())  # a copy: padding settings stay ours
    tokenizer.enable_truncation(max_length=int(transformer.max_seq_length))
    hf = transformer.tokenizer
    tokenizer.enable_padding(
        direction=getattr(hf, "padding_side", "right"),
        pad_id=hf.pad_token_id or 0,
        pad_token=hf.pad_token or "[PAD]",
    )
    return DirectOnnxQueries(session, tokenizer, mode, bool(transformer.do_lower_case))


def _pooling_mode(config: dict[str, Any]) -> str | None:
    """``mean`` or ``cls`` from a Pooling config (new ``pooling_mode`` or old boolean keys)."""
    mode = config.get("pooling_mode")
    if mode is None:
        flags = [k for k, v in config.items() if k.startswith("pooling_mode_") and v is True]
        mode = {"pooling_mode_mean_tokens": "mean", "pooling_mode_cls_token": "cls"}.get(
            flags[0] if len(flags) == 1 else ""
        )
    include_prompt = config.get("include_prompt", True)
    return mode if mode in ("mean", "cls") and include_prompt else None
