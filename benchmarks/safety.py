"""The crisis net's cost per message, and its worst case on hostile input (`make bench`)."""

from __future__ import annotations

import statistics
import time
from typing import Any

from bot.content import load_content
from tests.unit.test_crisis_table import CHECK, MUST_NOT_TRIGGER, MUST_TRIGGER

# Messages shaped to make a careless pattern backtrack: a modal allows 4,000 characters, and
# an early version of the net took minutes on the first of these.
HOSTILE = {
    "a run of dots": "i want" + "." * 3990 + "x",
    "digits": "1" * 4000,
    "stars": "k*" * 2000,
    "commas": "want," * 800,
    "spaced letters": "a " * 2000,
    "a phrase again and again": "i dont want to " * 280,
}
# Targets: the net runs on the event loop for every free-text message.
MEAN_US_TARGET = 500.0
HOSTILE_MS_TARGET = 100.0


def bench_safety(passes: int) -> dict[str, Any]:
    """Mean microseconds per table sentence, and the slowest hostile 4,000-character message."""
    net = load_content().safety
    table = [*MUST_TRIGGER, *MUST_NOT_TRIGGER, *CHECK]
    started = time.perf_counter()
    for _ in range(passes):
        for text in table:
            net.assess(text)
    mean_us = (time.perf_counter() - started) / (passes * len(table)) * 1e6
    worst: dict[str, float] = {}
    for kind, text in HOSTILE.items():
        runs = []
        for _ in range(max(1, passes // 10)):
            began = time.perf_counter()
            net.assess(text[:4000])
            runs.append((time.perf_counter() - began) * 1000)
        worst[kind] = statistics.median(runs)
    slowest = max(worst, key=worst.__getitem__)
    return {
        "sentences": len(table),
        "mean_us_per_sentence": round(mean_us, 1),
        "hostile_worst_ms": round(worst[slowest], 2),
        "hostile_worst_kind": slowest,
        "targets": {
            f"mean_us <= {MEAN_US_TARGET:g}": mean_us <= MEAN_US_TARGET,
            f"hostile_ms <= {HOSTILE_MS_TARGET:g}": worst[slowest] <= HOSTILE_MS_TARGET,
        },
    }
