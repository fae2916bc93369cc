#!/usr/bin/env python3
"""Times `briefing build` on generated briefing corpora and prints a table.

Usage: python3 bench/build_bench.py [--sizes "1000 10000"] [--runs 3] [--seed 1]

Builds the release binary, generates each corpus with ../shared/bench/gen_corpus.py (or
$GEN_CORPUS), then builds it --runs times, each into a fresh output folder (never deleting
between runs, since deletes on this VM's disk distort timings; see ../shared/bench/README.md).
Prints the median wall time, median CPU time, the largest peak RSS and the pages written.
Set TMPDIR=/dev/shm to keep the disk out of the figures.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.environ.get("GEN_CORPUS", os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))


def run_once(binary, site, out):
    start = time.perf_counter()
    proc = subprocess.Popen([binary, "build", "--quiet", "--root", site, "--output", out])
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"briefing build failed on {site} (status {status})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def count_pages(out):
    return sum(1 for _, _, files in os.walk(out) for f in files if f.endswith(".html"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(ROOT, "target", "release", "briefing"))
    args = ap.parse_args()
    if not os.path.exists(GEN):
        sys.exit(f"corpus generator not found at {GEN}; set GEN_CORPUS")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    work = tempfile.mkdtemp(prefix="briefing-bench-")
    try:
        print(f"{'n':>8} {'median s':>9} {'cpu s':>7} {'max RSS MB':>11} {'pages':>8} {'ms/brief':>9}")
        for n in [int(s) for s in args.sizes.split()]:
            site = os.path.join(work, f"site-{n}")
            subprocess.run([sys.executable, GEN, "--n", str(n), "--seed", str(args.seed), "--out", site],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls, cpus, rss, pages = [], [], 0.0, 0
            for i in range(args.runs):
                out = os.path.join(work, f"out-{n}-{i}")
                wall, cpu, peak = run_once(args.binary, site, out)
                walls.append(wall)
                cpus.append(cpu)
                rss = max(rss, peak)
                pages = count_pages(out)
            med = statistics.median(walls)
            print(f"{n:>8} {med:>9.2f} {statistics.median(cpus):>7.2f} {rss:>11.0f} {pages:>8} {1000 * med / n:>9.3f}",
                  flush=True)
            for i in range(args.runs):
                shutil.rmtree(os.path.join(work, f"out-{n}-{i}"), ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
