#!/usr/bin/env python3
"""Paired timing of two controlmap builds on a noisy machine.

Runs OLD and NEW alternately, in random order, RUNS times (default 80, after 5 warm-up pairs),
each with `--out` a fresh file, and prints both medians and the median of the per-pair
differences (NEW - OLD). A pair shares the machine's moment, so drifting load from neighbours
cancels out of the difference far better than in two separate runs.

    python3 benches/paired.py OLD_BINARY NEW_BINARY render --date 2012-07-15 --size 1280x720
"""
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    builds = {"old": sys.argv[1], "new": sys.argv[2]}
    args = sys.argv[3:]
    n = int(os.environ.get("RUNS", "80"))
    times = {"old": [], "new": []}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n + 5):
            order = ["old", "new"]
            random.shuffle(order)
            for k in order:
                out = os.path.join(tmp, f"{k}-{i}.png")
                start = time.perf_counter()
                subprocess.run([builds[k], *args, "--out", out], stdout=subprocess.DEVNULL, check=True)
                elapsed = (time.perf_counter() - start) * 1e3
                if i >= 5:
                    times[k].append(elapsed)
    for k in ["old", "new"]:
        v = sorted(times[k])
        print(f"{k}: median {statistics.median(v):.2f} ms, p25 {v[len(v) // 4]:.2f}, min {v[0]:.2f}")
    pairs = [b - a for a, b in zip(times["old"], times["new"])]
    print(f"paired new-old: median {statistics.median(pairs):+.2f} ms")


if __name__ == "__main__":
    main()
