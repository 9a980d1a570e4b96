#!/usr/bin/env python3
"""Frames per second of controlmap against geopandas + matplotlib, on the same frames.

Both tools draw N daily frames of the Mali dataset at 1280x720 PNG: the nine regions filled by
controller, the neighbours, outlines, a dated title and a legend. matplotlib reuses one figure
and only recolours the region patches between frames, which is its fastest way.

Usage (from the repository root; installs geopandas and matplotlib into target/bench-venv):
    python3 benches/compare_matplotlib.py [N]
"""
import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, "target", "bench-venv")


def ensure_venv():
    py = os.path.join(VENV, "bin", "python")
    if not os.path.exists(py):
        subprocess.check_call([sys.executable, "-m", "venv", VENV])
        subprocess.check_call([py, "-m", "pip", "install", "-q", "geopandas", "matplotlib"])
    return py


MATPLOTLIB_SCRIPT = r'''
import csv, datetime as dt, os, sys, time, bisect
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.patches import Patch
import geopandas as gpd
import tomllib

root, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
geo = os.path.join(root, "geodata", "mali")
manifest = tomllib.load(open(os.path.join(geo, "dataset.toml"), "rb"))
colours = {f["id"]: f["colour"] for f in manifest["factions"]}
colours["contested"] = "#999999"
regions = gpd.read_file(os.path.join(geo, "regions.geojson")).to_crs(manifest["projection"])
neighbours = gpd.read_file(os.path.join(geo, "neighbours.geojson")).to_crs(manifest["projection"])
records = {}
for r in csv.DictReader(open(os.path.join(geo, "control.csv"), encoding="utf-8")):
    records.setdefault(r["target"], []).append((r["date"], r["controller"]))
for v in records.values():
    v.sort()

def controller(target, day):
    rows = records.get(target, [])
    i = bisect.bisect_right([d for d, _ in rows], day)
    return rows[i - 1][1] if i else None

start = time.perf_counter()
fig, ax = plt.subplots(figsize=(12.8, 7.2), dpi=100)
neighbours.plot(ax=ax, color="#e3e1dc", edgecolor="#b4b0a8", linewidth=0.5)
region_plot = regions.plot(ax=ax, color="#dddddd", edgecolor="white", linewidth=0.8)
patches = ax.collections[-1]
xmin, ymin, xmax, ymax = regions.total_bounds
ax.set_xlim(xmin - 4e5, xmax + 4e5); ax.set_ylim(ymin - 2e5, ymax + 2e5)
ax.set_axis_off()
ax.legend(handles=[Patch(color=c, label=k) for k, c in colours.items()], loc="upper left")
title = ax.set_title("")
day0 = dt.date(2012, 1, 1)
for k in range(n):
    day = (day0 + dt.timedelta(days=k)).isoformat()
    patches.set_facecolor([colours.get(controller(t, day), "#f4f4f2") for t in regions["id"]])
    title.set_text("Northern Mali conflict, " + day)
    fig.savefig(os.path.join(out, "frame-%05d.png" % (k + 1)))
elapsed = time.perf_counter() - start
print(elapsed)
'''


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    py = ensure_venv()
    subprocess.check_call(["cargo", "build", "--release", "-q"], cwd=ROOT)
    binary = os.path.join(ROOT, "target", "release", "controlmap")
    last = (dt.date(2012, 1, 1) + dt.timedelta(days=n - 1)).isoformat()
    with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
        t0 = time.perf_counter()
        subprocess.check_call([binary, "frames", "--from", "2012-01-01", "--to", last, "--step", "1d",
                               "--transition", "0", "--gif", "none", "--size", "1280x720", "--out", a, "-q"])
        ours = time.perf_counter() - t0
        script = os.path.join(b, "mpl.py")
        with open(script, "w") as f:
            f.write(MATPLOTLIB_SCRIPT)
        theirs = float(subprocess.check_output([py, script, ROOT, b, str(n)]).decode().strip().splitlines()[-1])
        count = len([x for x in os.listdir(b) if x.startswith("frame-")])
        assert count == n, count
    print("frames: %d at 1280x720 PNG" % n)
    print("controlmap:            %7.1f frames/s (%.2f s, process start and loading included)" % (n / ours, ours))
    print("geopandas+matplotlib:  %7.1f frames/s (%.2f s, one figure reused, loading excluded)" % (n / theirs, theirs))
    print("ratio: %.1fx" % (theirs / ours))


if __name__ == "__main__":
    main()
