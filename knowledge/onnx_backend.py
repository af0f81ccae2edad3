"""The embedding model on ONNX Runtime: exported once from the local model into a writable cache.

``storybot`` never downloads a model: the export runs sentence-transformers' own ONNX backend on a
copy of the (packaged) model folder, and for int8 quantises it with
``sentence_transformers.export_dynamic_quantized_onnx_model`` (dynamic quantisation for this CPU:
avx2, avx512, avx512_vnni or arm64). Both files land in ``<cache>/<model>-<fingerprint>/onnx/``
and later runs just load them, without taking the lock, so a baked, read-only cache works.

Two things make ONNX Runtime fast on a busy 2-core machine: its worker threads must not spin while
waiting (``allow_spinning=0``, the same lesson as PyTorch's ``OMP_WAIT_POLICY=PASSIVE``), and the
thread count follows ``model.threads``. A ``file_name`` that does not exist makes optimum try to
export again from the ``onnx/`` subfolder, which fails with "Unrecognized model ... Should have a
`model_type` key": the quantised file of the avx2 configuration is ``model_quint8_avx2.onnx``
(unsigned), so the name is looked up, never guessed.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
import platform
import shutil
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from knowledge.errors import ModelError

log = logging.getLogger(__name__)

FP32_FILE = "onnx/model.onnx"
_PYTORCH_WEIGHTS = ("*.safetensors", "pytorch_model*.bin", "*.h5", "*.msgpack", "*.ckpt*")
INSTALL_HINT = "reinstall storybot: optimum-onnx[onnxruntime] is one of its dependencies"


def load_onnx_model(model_path: str, cache: Path, quantized: bool, threads: int) -> Any:
    """A SentenceTransformer running on ONNX Runtime (int8 when ``quantized``), exporting first
    if this model was never exported into ``cache``."""
    _need_onnxruntime()
    return load_export(*exported_model(Path(model_path), cache, quantized), threads)


def load_export(folder: Path, file_name: str, threads: int) -> Any:
    """A SentenceTransformer on ONNX Runtime from an export (``exported_model``'s answer)."""
    _need_onnxruntime()
    from sentence_transformers import SentenceTransformer

    options = session_options(threads)
    try:
        with _quiet():
            return SentenceTransformer(
                str(folder),
                backend="onnx",
                device="cpu",
                model_kwargs={
                    "file_name": file_name,
                    "session_options": options,
                    "provider": "CPUExecutionProvider",
                },
            )
    except Exception as exc:  # any load failure becomes one clear line
        detail = _first_line(exc)
        raise ModelError(f"cannot load ONNX model {folder / file_name}: {detail}") from None


def _need_onnxruntime() -> None:
    try:
        import onnxruntime  # noqa: F401
        import sentence_transformers  # noqa: F401
    except ImportError:
        raise ModelError(f"the onnx backend needs onnxruntime: {INSTALL_HINT}") from None


def session_options(threads: int) -> Any:
    """ONNX Runtime options for a busy machine: ``threads`` workers that never spin."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = max(1, threads)
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


def existing_export(source: Path, cache: Path, quantized: bool) -> tuple[Path, str] | None:
    """The export folder and ONNX file for ``source`` if they already exist (never exports)."""
    if not (source / "config.json").is_file():
        return None
    target = cache / f"{source.name}-{fingerprint(source)}"
    found = _ready(target, quantized, quantization_config())
    return (target, found) if found else None


def exported_model(source: Path, cache: Path, quantized: bool) -> tuple[Path, str]:
    """The export folder for ``source`` and the ONNX file to load, exporting when missing."""
    try:
        from optimum.onnxruntime import ORTModel  # noqa: F401
    except ImportError:
        raise ModelError(f"the onnx backend needs optimum-onnx: {INSTALL_HINT}") from None
    if not (source / "config.json").is_file():
        raise ModelError(f"the onnx backend needs a local model folder, not {str(source)!r}")
    target = cache / f"{source.name}-{fingerprint(source)}"
    try:
        return _exported(source, target, quantized)
    except OSError as exc:
        raise ModelError(f"cannot write the ONNX export into {cache}: {_first_line(exc)}") from None


def _exported(source: Path, target: Path, quantized: bool) -> tuple[Path, str]:
    config = quantization_config()
    if found := _ready(target, quantized, config):
        return target, found  # no lock needed: the cache may be read-only (a baked image)
    with _lock(target.parent / f"{target.name}.lock"):
        if found := _ready(target, quantized, config):
            return target, found  # another process exported it while this one waited
        # Not an error, but the user waits: say why, once per machine and model.
        log.warning("one-off: exporting the model for ONNX Runtime into %s (~25 s)", target)
        if not (target / FP32_FILE).is_file():
            _export_fp32(source, target)
        if quantized:
            _export_int8(target, config)
        if found := _ready(target, quantized, config):
            return target, found
        raise ModelError(f"ONNX export of {source} produced no model file in {target / 'onnx'}")


def _ready(target: Path, quantized: bool, config: str) -> str | None:
    """The exported file to load, if it is there. A file quantised for another CPU of this
    architecture (an image built on an avx2 machine, run on an avx512 one) still runs."""
    if not quantized:
        return FP32_FILE if (target / FP32_FILE).is_file() else None
    return _quantized_file(target, config) or _quantized_file(target, "*")


def fingerprint(source: Path) -> str:
    """Changes when the model's files change (names, sizes and the small config files)."""
    digest = hashlib.sha256()
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source).as_posix()
        if relative.startswith("onnx/") or relative.endswith(".onnx"):
            continue
        digest.update(f"{relative}\x1f{path.stat().st_size}\x1e".encode())
        if path.suffix == ".json":
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def quantization_config() -> str:
    """sentence-transformers' dynamic quantisation preset for this CPU."""
    if platform.machine().lower() in ("arm64", "aarch64"):
        return "arm64"
    flags: set[str] = set()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("flags"):
                flags = set(line.split(":", 1)[1].split())
                break
    if "avx512_vnni" in flags:
        return "avx512_vnni"
    return "avx512" if "avx512f" in flags else "avx2"


def _export_fp32(source: Path, target: Path) -> None:
    from sentence_transformers import SentenceTransformer

    stage = target.parent / f".tmp-{uuid.uuid4().hex[:8]}"
    try:
        shutil.copytree(source, stage, ignore=shutil.ignore_patterns("onnx", "*.onnx"))
        with _quiet():
            model = SentenceTransformer(str(stage), backend="onnx", device="cpu")
            model.save_pretrained(str(stage))
        if not (stage / FP32_FILE).is_file():
            raise ModelError(f"ONNX export of {source} wrote no {FP32_FILE}")
        for weights in _PYTORCH_WEIGHTS:  # ONNX Runtime never reads them: ~90 MB saved
            for path in stage.glob(weights):
                path.unlink()
        shutil.rmtree(target, ignore_errors=True)
        os.replace(stage, target)
    except ModelError:
        raise
    except Exception as exc:
        raise ModelError(f"cannot export {source} to ONNX: {_first_line(exc)}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _export_int8(target: Path, config: str) -> None:
    from sentence_transformers import SentenceTransformer, export_dynamic_quantized_onnx_model

    stage = target.parent / f".tmp-{uuid.uuid4().hex[:8]}"
    try:
        stage.mkdir(parents=True)
        with _quiet():
            model = SentenceTransformer(
                str(target), backend="onnx", device="cpu", model_kwargs={"file_name": FP32_FILE}
            )
            export_dynamic_quantized_onnx_model(model, config, str(stage))
        for path in (stage / "onnx").glob("*.onnx"):
            os.replace(path, target / "onnx" / path.name)
    except Exception as exc:
        detail = _first_line(exc)
        raise ModelError(f"cannot quantise the ONNX model in {target}: {detail}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _quantized_file(target: Path, config: str) -> str | None:
    files = sorted((target / "onnx").glob(f"model_*int8_{config}.onnx"))
    return files[0].relative_to(target).as_posix() if files else None


@contextlib.contextmanager
def _lock(path: Path) -> Iterator[None]:
    """One exporter at a time per model (other processes wait, then find the files)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """The exporters warn about tracing and log their progress: none of it is for the user."""
    loggers = [logging.getLogger(n) for n in ("sentence_transformers", "optimum", "transformers")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _first_line(exc: Exception) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
