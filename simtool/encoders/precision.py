"""Which numeric precision a transformer runs in: what the hardware does fast, checked for quality.

`auto` picks the fastest precision the device supports natively: bfloat16 where the CPU has
bfloat16 dot products (AVX512-BF16, AMX) or on a GPU that supports it; int8 (dynamic
quantisation of the linear layers) where the CPU has int8 dot products (AVX512-VNNI, AVX-VNNI,
AMX-INT8) but no bfloat16; float32 elsewhere. Emulated bfloat16 is slower than float32, so it is
never chosen where it is not native.

A reduced precision must earn its place: the first time a model runs in it on a machine, a
fixed probe set is encoded in float32 and in the reduced precision, and if any probe's cosine
to its float32 vector falls below `MIN_COSINE` the model falls back to float32 with a warning.
The verdict is kept in `~/.cache/simtool/precision_checks.json` (`$SIMTOOL_STATE`), keyed by
model, precision and machine (processor, its flags, torch's version, device).
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.metadata
import json
import platform
import warnings
from collections.abc import Set
from pathlib import Path

import numpy as np

from simtool.encoders.base import l2_normalize
from simtool.errors import InputError
from simtool.state import read_json, write_atomically

PRECISIONS = ("auto", "float32", "bfloat16", "int8")
MIN_COSINE = 0.99
CHECKS_FILE = "precision_checks.json"

# Probe texts: short and long, news-like, fixed, so that every machine runs the same check.
_SENTENCES = (
    "The central bank raised interest rates by a quarter point on Wednesday.",
    "Officials said the storm had cut power to more than 200,000 homes along the coast.",
    "The striker scored twice in the second half to keep his side top of the league.",
    "Lawmakers approved the budget after a night of negotiations over defence spending.",
    "The company recalled 40,000 cars because of a fault in the braking system.",
    "Researchers found that the new vaccine cut hospital admissions by half.",
    "Talks between the two governments on counter-terrorism cooperation resumed in Geneva.",
    "Shares fell sharply in early trading after the firm issued a profit warning.",
    "The film won best picture at a ceremony overshadowed by a row over diversity.",
    "Police arrested three men after a raid on a warehouse in the port city.",
    "Prices of wheat and maize climbed to their highest level in a decade.",
    "The minister resigned after leaked messages showed he had misled parliament.",
)


def probe_texts() -> list[str]:
    """The sentences alone, and joined into article-length texts that fill a 256-piece window."""
    long_texts = [" ".join(_SENTENCES[i:] + _SENTENCES[:i]) * 2 for i in range(0, len(_SENTENCES), 3)]
    return list(_SENTENCES) + long_texts


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags (Linux /proc/cpuinfo, read once); empty where they cannot be read."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith(("flags", "Features")):
                    return frozenset(line.split(":", 1)[1].split())
    except OSError:
        pass
    return frozenset()


def native_bfloat16(flags: Set[str]) -> bool:
    """bfloat16 dot products in hardware: x86 AVX512-BF16 or AMX-BF16, Arm BF16."""
    return bool(flags & {"avx512_bf16", "amx_bf16", "bf16"})


def native_int8(flags: Set[str]) -> bool:
    """int8 dot products in hardware: x86 VNNI or AMX-INT8, Arm dot product / i8mm."""
    return bool(flags & {"avx512_vnni", "avx_vnni", "amx_int8", "asimddp", "i8mm"})


def choose_precision(requested: str, device: str, flags: Set[str] | None = None) -> str:
    """The precision to try for `requested` on `device` (before the quality check)."""
    if requested not in PRECISIONS:
        raise InputError(f"--precision must be one of {', '.join(PRECISIONS)}; got {requested!r}")
    if requested != "auto":
        return requested
    if device.startswith("cuda"):
        import torch

        return "bfloat16" if torch.cuda.is_bf16_supported() else "float32"
    flags = cpu_flags() if flags is None else flags
    if native_bfloat16(flags):
        return "bfloat16"
    if native_int8(flags):
        return "int8"
    return "float32"


def machine_key(device: str) -> str:
    """What a precision verdict holds for: the processor, its flags, torch's version, the device."""
    flags = " ".join(sorted(cpu_flags()))
    described = f"{platform.machine()}|{platform.processor()}|{flags}|{importlib.metadata.version('torch')}|{device}"
    if device.startswith("cuda"):
        import torch

        described += "|" + torch.cuda.get_device_name(torch.device(device))
    return hashlib.sha256(described.encode()).hexdigest()[:16]


class PrecisionFallback(UserWarning):
    """A reduced precision failed the quality check; float32 is used instead."""


def reduced_precision(model, precision: str):
    """A copy of a SentenceTransformer in `precision` (bfloat16 weights, or int8 linear layers).

    int8 is dynamic quantisation with per-channel weight scales (PyTorch's FBGEMM/oneDNN kernels,
    which use VNNI); activations are quantised per batch, which is where its error comes from.
    """
    import torch

    if precision == "bfloat16":
        return copy.deepcopy(model).to(torch.bfloat16)
    if precision == "int8":
        if model.device.type != "cpu":
            raise InputError("--precision int8 runs on the CPU only; use bfloat16 on a GPU")
        from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # PyTorch's notice that this API moves to torchao
            return quantize_dynamic(copy.deepcopy(model), {torch.nn.Linear: per_channel_dynamic_qconfig},
                                    dtype=torch.qint8)
    if precision == "float32":
        return model
    raise ValueError(f"no reduced precision {precision!r}")


def encode_normalized(model, texts: list[str], batch_size: int) -> np.ndarray:
    """Unit-length float32 vectors from a SentenceTransformer in any precision. Normalised after
    the cast to float32: a vector normalised in bfloat16 is off unit length by up to 0.4%."""
    vectors = model.encode(texts, batch_size=batch_size, convert_to_numpy=True, normalize_embeddings=False,
                           show_progress_bar=False)
    return l2_normalize(np.asarray(vectors, dtype=np.float32))


def min_cosine_to_float32(float32_model, reduced_model, texts: list[str]) -> float:
    """The lowest cosine between a text's float32 vector and its reduced-precision vector."""
    reference = encode_normalized(float32_model, texts, 32)
    reduced = encode_normalized(reduced_model, texts, 32)
    return float(np.min(np.einsum("ij,ij->i", reference, reduced)))


class PrecisionChecks:
    """The quality verdicts of reduced precisions on this machine, in a small JSON file."""

    def __init__(self, directory: Path) -> None:
        self.path = Path(directory) / CHECKS_FILE

    def get(self, key: str) -> dict | None:
        found = read_json(self.path).get(key)
        return found if isinstance(found, dict) and isinstance(found.get("passed"), bool) else None

    def put(self, key: str, verdict: dict) -> None:
        data = read_json(self.path)  # missing or damaged: the checks simply run again
        data[key] = verdict
        write_atomically(self.path, json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
