"""Normalising a 12-megapixel proof photo: time and peak memory, beside a naive full-size decode.

    python -m bench.bench_images [--quick] [--rounds N] [--memory-runs N] [--out DIR]

The input is a 4000x3000 JPEG (quality 92, about 4 MB) made of gradients, smooth blotches,
texture and sensor-like grain from a seeded RNG, so it compresses like a phone photo; it
carries EXIF orientation 6 and a GPS position, as a phone's portrait shot does.

Variants, timed in the same rounds (rotating order) in this process:

- `normalise_proof`: the real pipeline (draft decode at reduced scale, orient, strip,
  fit in 1600 px, baseline JPEG, 320 px thumbnail);
- naive baseline: `Image.open` + `load()` at full size, then the same orient, convert,
  Lanczos resize to 1600 px, encode and thumbnail;
- decode floors: a full-size decode alone, and the reduced-scale (draft) decode alone.

Peak memory: Pillow allocates its pixel buffers in C, which `tracemalloc` does not see, so each
variant also runs once per measurement in a fresh subprocess that reports how much its peak
resident set (`ru_maxrss`) grew over the run (after imports, reading the file and a warm-up on
a tiny image). `tracemalloc`'s peak from the same run is reported next to it for contrast.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

import PIL
from PIL import Image, ImageOps

from core.media.images import (
    JPEG_QUALITY,
    MAX_SIDE,
    THUMB_QUALITY,
    THUMB_SIDE,
    fitted_size,
    normalise_proof,
)

if TYPE_CHECKING:
    from bench.common import Summary

NAME = "images"
SIZE = (4000, 3000)
SEED = 20261123
REPO_ROOT = Path(__file__).resolve().parents[1]
# (timed rounds, warm-up rounds, subprocess memory runs per variant)
FULL = (15, 2, 5)
QUICK = (3, 1, 1)
# issue 15: normalise_proof against a bare full decode, by CPU time and by peak memory
GOAL_CPU_OVER_FULL_DECODE = 1.4
GOAL_RSS_OVER_FULL_DECODE = 1.0
SUBJECT = "normalise_proof"
NAIVE = "naive: full decode + resize"
VARIANTS = (SUBJECT, NAIVE, "full-size decode only", "draft decode only")
DESCRIPTIONS = {
    SUBJECT: "draft decode, orient, strip, 1600 px baseline JPEG + 320 px thumbnail",
    NAIVE: "Image.open + load() at 12 MP, orient, convert, Lanczos to 1600 px, same encodes",
    "full-size decode only": "Image.open + load() at full size; no resize, no encode",
    "draft decode only": "Image.open + draft('RGB', 1600x1200) + load(); the 1/2-scale decode",
}


# --- the input -------------------------------------------------------------------------------
def make_photo(size: tuple[int, int] = SIZE, seed: int = SEED) -> bytes:
    """A deterministic photo-like 12 MP JPEG with EXIF orientation 6 and a GPS position."""
    rng = random.Random(seed)
    width, height = size

    def noise(w: int, h: int) -> Image.Image:
        plane = Image.frombytes("L", (w, h), rng.randbytes(w * h))
        return plane if (w, h) == size else plane.resize(size, Image.Resampling.BICUBIC)

    across = Image.linear_gradient("L").rotate(90).resize(size)
    down = Image.linear_gradient("L").resize(size)
    blotches = noise(width // 50, height // 50)
    texture = noise(width // 6, height // 6)
    grain = noise(width, height)
    planes = [
        Image.blend(Image.blend(across, blotches, 0.5), grain, 0.05),
        Image.blend(Image.blend(down, texture, 0.35), grain, 0.05),
        Image.blend(Image.blend(blotches, texture, 0.5), grain, 0.05),
    ]
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to display
    exif[0x010F] = "BenchPhone"
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (52.0, 22.0, 12.0), 3: "E", 4: (4.0, 53.0, 42.0)})
    out = BytesIO()
    Image.merge("RGB", planes).save(out, "JPEG", quality=92, exif=exif.tobytes())
    return out.getvalue()


# --- the variants ------------------------------------------------------------------------------
def naive_normalise(data: bytes) -> tuple[bytes, bytes]:
    """What one writes without thinking about memory: decode everything, then shrink."""
    with Image.open(BytesIO(data)) as source:
        source.load()
        image = ImageOps.exif_transpose(source).convert("RGB")
    image = image.resize(fitted_size(image.size, MAX_SIDE), Image.Resampling.LANCZOS)
    thumb = image.resize(fitted_size(image.size, THUMB_SIDE), Image.Resampling.LANCZOS)
    return _jpeg(image, JPEG_QUALITY, optimize=False), _jpeg(thumb, THUMB_QUALITY, optimize=True)


def full_decode(data: bytes) -> tuple[int, int]:
    with Image.open(BytesIO(data)) as source:
        source.load()
        return source.size


def draft_decode(data: bytes) -> tuple[int, int]:
    with Image.open(BytesIO(data)) as source:
        source.draft("RGB", fitted_size(source.size, MAX_SIDE))
        source.load()
        return source.size


def _jpeg(image: Image.Image, quality: int, *, optimize: bool) -> bytes:
    """The same encoder settings as `normalise_proof`'s, so only the decode and resize differ."""
    image.info = {}
    out = BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=optimize, subsampling="4:2:0")
    return out.getvalue()


RUNNERS: dict[str, Callable[[bytes], object]] = {
    SUBJECT: normalise_proof,
    NAIVE: naive_normalise,
    "full-size decode only": full_decode,
    "draft decode only": draft_decode,
}


# --- peak memory in a fresh process --------------------------------------------------------------
def _status_kb(field: str) -> int | None:
    """A `kB` field of /proc/self/status (Linux), or None where there is no such file."""
    try:
        text = Path("/proc/self/status").read_text(encoding="ascii")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def _reset_peak() -> bool:
    """Reset this process's peak-RSS mark to its current RSS (Linux 4.0+)."""
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return True


def _peak_kb() -> tuple[int, str]:
    """This process's peak resident set so far, and how it was read.

    `VmHWM` belongs to the current address space, so it starts afresh at exec. `ru_maxrss`
    does not: Linux carries the pre-exec high-water mark over, which for a child of this
    benchmark is the parent's whole footprint; it is only the fallback off Linux.
    """
    hwm = _status_kb("VmHWM")
    if hwm is not None:
        return hwm, "VmHWM"
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (maxrss // 1024 if sys.platform == "darwin" else maxrss), "ru_maxrss"


def child(variant: str, path: Path) -> dict[str, Any]:
    """Run one variant once in this (fresh) process; report its peak-RSS growth and more."""
    data = path.read_bytes()
    tiny = BytesIO()
    Image.new("RGB", (16, 16)).save(tiny, "JPEG")
    for runner in RUNNERS.values():  # load plugins and codecs before the baseline reading
        runner(tiny.getvalue())
    reset = _reset_peak()
    before_kb, method = _peak_kb()
    tracemalloc.start()
    began = time.perf_counter()
    RUNNERS[variant](data)
    seconds = time.perf_counter() - began
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after_kb, _ = _peak_kb()
    return {
        "rss_before_mb": before_kb / 1024,
        "rss_delta_mb": (after_kb - before_kb) / 1024,
        "tracemalloc_peak_mb": traced_peak / 2**20,
        "cold_ms": seconds * 1000,
        "method": method + (" (reset)" if reset else ""),
    }


def measure_memory(variant: str, path: Path) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, "-m", "bench.bench_images", "--child", variant, "--input", str(path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"memory run of {variant!r} failed:\n{completed.stderr}")
    result: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


# --- the run -----------------------------------------------------------------------------------
def run(args: argparse.Namespace) -> dict[str, Any]:
    from bench.common import Summary, environment, gc_disabled, measure_sync, write_results

    rounds, warmup, memory_runs = QUICK if args.quick else FULL
    rounds = args.rounds or rounds
    memory_runs = args.memory_runs or memory_runs

    began = time.perf_counter()
    data = make_photo()
    proof = normalise_proof(data)
    if (proof.width, proof.height) != (1200, 1600):  # portrait after orientation 6
        raise RuntimeError(f"unexpected output size {proof.width}x{proof.height}")
    naive_image, _ = naive_normalise(data)
    with Image.open(BytesIO(naive_image)) as check:
        if check.size != (proof.width, proof.height):
            raise RuntimeError("the naive baseline produced a different size")
    print(
        f"Input: {SIZE[0]}x{SIZE[1]} JPEG, {len(data) / 1e6:.2f} MB, EXIF orientation 6 + GPS "
        f"(made in {time.perf_counter() - began:.1f} s). Output: {proof.width}x{proof.height}, "
        f"{len(proof.image) / 1e3:.0f} kB + {proof.thumb_width}x{proof.thumb_height} thumbnail "
        f"{len(proof.thumbnail) / 1e3:.1f} kB."
    )

    cpu: dict[str, list[float]] = {name: [] for name in VARIANTS}
    cases = {name: _bound(RUNNERS[name], data, cpu[name]) for name in VARIANTS}
    with gc_disabled(args.no_gc):
        samples = measure_sync(cases, rounds, warmup)
    summaries = {name: Summary.of(samples[name]) for name in VARIANTS}
    # measure_sync's warm-up calls are recorded too: keep the timed rounds only
    cpu_summaries = {name: Summary.of(cpu[name][-rounds:]) for name in VARIANTS}

    memory: dict[str, list[dict[str, Any]]] = {name: [] for name in VARIANTS}
    with tempfile.TemporaryDirectory(prefix="habitlink-bench-") as tmp:
        path = Path(tmp) / "photo.jpg"
        path.write_bytes(data)
        for _ in range(memory_runs):
            for name in VARIANTS:  # interleaved, like the timing
                memory[name].append(measure_memory(name, path))

    results = [
        {
            **_row(name, summaries[name], memory[name]),
            "cpu_median_ms": cpu_summaries[name].median_ms,
        }
        for name in VARIANTS
    ]
    subject = results[0]
    naive = results[1]
    full = results[2]
    ratios = {
        "time_naive_over_normalise": _ratio(naive["median_ms"], subject["median_ms"]),
        "rss_naive_over_normalise": _ratio(naive["rss_delta_mb"], subject["rss_delta_mb"]),
        # issue 15: normalise_proof against a bare full decode (goals: 1.4x time, 1.0x memory)
        "time_normalise_over_full_decode": _ratio(subject["median_ms"], full["median_ms"]),
        "cpu_normalise_over_full_decode": _ratio(subject["cpu_median_ms"], full["cpu_median_ms"]),
        "rss_normalise_over_full_decode": _ratio(subject["rss_delta_mb"], full["rss_delta_mb"]),
    }
    goals = {
        "cpu_goal": GOAL_CPU_OVER_FULL_DECODE,
        "cpu_met": ratios["cpu_normalise_over_full_decode"] <= GOAL_CPU_OVER_FULL_DECODE,
        "rss_goal": GOAL_RSS_OVER_FULL_DECODE,
        "rss_met": ratios["rss_normalise_over_full_decode"] <= GOAL_RSS_OVER_FULL_DECODE,
    }
    data_out = {
        "benchmark": NAME,
        "quick": bool(args.quick),
        "gc": not args.no_gc,
        "environment": {**environment(), "pillow": PIL.__version__},
        "input": {
            "width": SIZE[0],
            "height": SIZE[1],
            "megapixels": SIZE[0] * SIZE[1] / 1e6,
            "bytes": len(data),
        },
        "output": {
            "width": proof.width,
            "height": proof.height,
            "bytes": len(proof.image),
            "thumb_width": proof.thumb_width,
            "thumb_height": proof.thumb_height,
            "thumb_bytes": len(proof.thumbnail),
        },
        "rounds": rounds,
        "memory_runs": memory_runs,
        "results": results,
        "ratios": ratios,
        "issue15": goals,
    }
    print_report(results, ratios, goals)
    out = write_results(args.out, NAME, data_out)
    print(f"\nResults written to {out}")
    return data_out


def _bound(fn: Callable[[bytes], object], data: bytes, cpu: list[float]) -> Callable[[], object]:
    """`fn(data)`, appending the CPU seconds of this process each call takes to `cpu`."""

    def call() -> object:
        began = time.process_time()
        result = fn(data)
        cpu.append(time.process_time() - began)
        return result

    return call


def _row(name: str, summary: Summary, runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    def median(field: str) -> float:
        return round(statistics.median(float(r[field]) for r in runs), 2)

    return {
        "name": name,
        "what": DESCRIPTIONS[name],
        **summary.as_dict(),
        "rss_delta_mb": median("rss_delta_mb"),
        "rss_delta_mb_runs": [round(r["rss_delta_mb"], 2) for r in runs],
        "tracemalloc_peak_mb": median("tracemalloc_peak_mb"),
        "cold_ms": median("cold_ms"),
        "memory_method": runs[0]["method"],
    }


def _ratio(numerator: float, denominator: float) -> float:
    return round(numerator / denominator, 2) if denominator > 0 else float("inf")


def print_report(
    results: Sequence[dict[str, Any]], ratios: dict[str, float], goals: dict[str, Any]
) -> None:
    from bench.common import table

    naive = results[1]
    rows = [
        [
            r["name"],
            r["median_ms"],
            r["p95_ms"],
            round(r["cpu_median_ms"], 1),
            r["rss_delta_mb"],
            r["tracemalloc_peak_mb"],
            f"{_ratio(r['median_ms'], naive['median_ms']):.2f}x",
            f"{_ratio(r['rss_delta_mb'], naive['rss_delta_mb']):.2f}x",
        ]
        for r in results
    ]
    headers = [
        "variant",
        "median ms",
        "p95 ms",
        "CPU median ms",
        "peak RSS +MB",
        "tracemalloc MB",
        "time vs naive",
        "RSS vs naive",
    ]
    print(table(headers, rows))
    print(
        f"\nThe naive full-size pipeline takes {ratios['time_naive_over_normalise']:.2f}x the "
        f"time and {ratios['rss_naive_over_normalise']:.2f}x the peak memory of normalise_proof."
    )
    print(
        f"Issue 15: normalise_proof / full-size decode only: "
        f"{ratios['cpu_normalise_over_full_decode']:.2f}x CPU (goal at most "
        f"{goals['cpu_goal']:.1f}x: {_met(goals['cpu_met'])}), "
        f"{ratios['rss_normalise_over_full_decode']:.2f}x peak RSS (goal at most "
        f"{goals['rss_goal']:.1f}x: {_met(goals['rss_met'])}); "
        f"{ratios['time_normalise_over_full_decode']:.2f}x wall."
    )


def _met(met: bool) -> str:
    return "met" if met else "not met"


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=(__doc__ or NAME).splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few iterations: a smoke run")
    parser.add_argument("--rounds", type=int, help="override the number of timed rounds")
    parser.add_argument("--memory-runs", type=int, help="subprocess memory runs per variant")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "bench" / "results")
    parser.add_argument("--no-gc", action="store_true", help="disable the GC while timing")
    parser.add_argument("--child", choices=VARIANTS, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        if args.input is None:
            parser.error("--child needs --input")
        print(json.dumps(child(args.child, args.input)))
        return {}
    return run(args)


if __name__ == "__main__":
    main()
