"""Performance benchmark of glmstats against statsmodels, glum and scikit-learn (issue 4).

Usage::

    pip install -e ".[bench]"
    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py [--quick]
        [--cases PATTERN ...] [--repeats N] [--libs glmstats statsmodels glum sklearn] [--markdown]

Each fit runs in a fresh process (libraries alternating: ABCD ABCD ...), with the data loaded
from a cache before the timer starts, all BLAS threads available.  Reported: the median wall
time of the fit (design + fit for the formula cases; glmstats and statsmodels include the
standard errors), the peak memory above what the process held before the fit, glmstats' time
over this library's (targets: <= 1.0 against glum and scikit-learn, <= 0.1 against
statsmodels), this library's time over the floor (one numpy pass computing X'WX, times the
IRLS iterations glmstats needed), and the largest relative difference of the coefficients
from glmstats' (|b - b_ref| / max(|b_ref|, 0.01)); the libraries must agree to 1e-4.
"""

import argparse
import fnmatch
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import datagen
import workers

AGREE_TOL = 1e-4
REL_FLOOR = 0.01


def default_cases(quick):
    """The issue's table first, then the rest of the dense grid (n x p x family).

    --quick divides every n by 10, drops the grid's n = 1e4 duplicates (but the issue's small
    binomial case) and gives the 2000-level factor 200 levels.
    """
    scale = 10 if quick else 1
    lab = lambda n: datagen.n_label(n // scale)
    table = [f"dense-poisson-n{lab(10**6)}-p50", f"dense-binomial-n{lab(10**6)}-p10",
             f"dense-binomial-n{lab(10**5)}-p10",
             f"categorical-n{lab(10**6)}" + ("-k200" if quick else ""), f"insurance-n{lab(10**6)}"]
    grid = [f"dense-{fam}-n{lab(n)}-p{p}" for n in ((10**6,) if quick else (10**5, 10**6))
            for p in (10, 50) for fam in datagen.FAMILIES]
    penalized = [f"penalized-{pen}-poisson-n{lab(10**6)}-p50" for pen in datagen.PENALTIES]
    return table + [c for c in grid if c not in table] + penalized


def select_cases(patterns, quick):
    known = default_cases(quick)
    if not patterns:
        return known
    chosen = []
    for pat in patterns:
        hits = [c for c in known if fnmatch.fnmatch(c, pat)]
        if not hits and not any(ch in pat for ch in "*?["):
            datagen.case_spec(pat)  # any well-formed name, e.g. dense-poisson-n2e5-p20
            hits = [pat]
        if not hits:
            sys.exit(f"no case matches {pat!r}; cases: {', '.join(known)}")
        chosen += [h for h in hits if h not in chosen]
    return chosen


# ---------------------------------------------------------------- machine

def machine_info():
    info = {"date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "nproc": os.cpu_count(),
            "python": platform.python_version(), "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            info["cpu"] = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
        with open("/proc/meminfo") as f:
            info["mem_gb"] = round(int(f.readline().split()[1]) / 2**20, 1)
    except (OSError, StopIteration):
        pass
    info["loadavg_start"] = os.getloadavg()
    info["glmstats_source"] = glmstats_source()
    if os.environ.get("GLMSTATS_BASE"):
        info["glmstats_base_source"] = glmstats_source(os.environ["GLMSTATS_BASE"])
    info["env"] = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS",
                                              "OMP_NUM_THREADS", "MKL_NUM_THREADS") if k in os.environ}
    from importlib import metadata
    info["versions"] = {}
    for dist in ("glmstats", "numpy", "scipy", "pandas", "formulaic", "statsmodels", "glum", "tabmat",
                 "scikit-learn"):
        try:
            info["versions"][dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info["versions"][dist] = None
    try:
        import numpy  # noqa: F401
        from threadpoolctl import threadpool_info
        info["blas"] = [{k: d.get(k) for k in ("internal_api", "version", "architecture", "num_threads",
                                               "threading_layer", "prefix")} for d in threadpool_info()]
    except ImportError:
        info["blas"] = "threadpoolctl not installed"
    return info


def glmstats_source(root=None):
    """The commit of the glmstats checkout being measured (the installed one, or ``root``), and whether
    glmstats/ has uncommitted changes."""
    if root is None:
        import glmstats

        root = os.path.dirname(os.path.dirname(os.path.abspath(glmstats.__file__)))
    try:
        head = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                              check=True).stdout.strip()
        diff = subprocess.run(["git", "-C", root, "diff", "HEAD", "--stat", "--", "glmstats"], capture_output=True,
                              text=True, check=True).stdout.strip().splitlines()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return head + (f" + uncommitted changes ({diff[-1].strip()})" if diff else "")


def print_machine(info, out=sys.stdout):
    print(f"date: {info['date_utc']}   machine: {info.get('cpu')}, nproc={info['nproc']}, "
          f"{info.get('mem_gb')} GB RAM, Python {info['python']}", file=out)
    print(f"glmstats source: {info.get('glmstats_source', '?')}", file=out)
    if info.get("glmstats_base_source"):
        print(f"glmstats-base source: {info['glmstats_base_source']}", file=out)
    print("versions: " + ", ".join(f"{k} {v}" for k, v in info["versions"].items() if v), file=out)
    missing = [k for k in ("statsmodels", "glum", "scikit-learn") if not info["versions"].get(k)]
    if missing:
        print("not installed (skipped): " + ", ".join(missing), file=out)
    blas = info["blas"]
    if isinstance(blas, list):
        for b in blas:
            print(f"threadpool: {b['internal_api']} {b['version']} kernel={b['architecture']} "
                  f"threads={b['num_threads']} ({b['prefix']})", file=out)
    else:
        print(f"threadpool: {blas}", file=out)
    load = info["loadavg_start"]
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
          + ("   WARNING: other processes are using the CPU; times will be inflated" if load[0] > 0.5 else ""),
          file=out)
    if info["env"]:
        print("environment: " + " ".join(f"{k}={v}" for k, v in info["env"].items())
              + "   (for benchmarking: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/run.py)",
              file=out)


# ---------------------------------------------------------------- running workers

def spawn(cache, case, lib, timeout, mem_limit_gb, warmup=False):
    fd, out = tempfile.mkstemp(suffix=".json", prefix="glmbench-")
    os.close(fd)
    limit = int(mem_limit_gb * 2**30)

    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    cmd = [sys.executable, os.path.abspath(__file__), "--worker", case, lib, out, "--cache-dir", cache]
    if warmup:
        cmd.append("--warmup")
    try:
        proc = subprocess.run(cmd, timeout=timeout, preexec_fn=cap, capture_output=True, text=True, check=False)
        try:
            with open(out) as f:
                return json.load(f)
        except (OSError, ValueError):
            tail = (proc.stderr or "").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
            return {"case": case, "lib": lib, "error": f"worker died: {tail[0][:200]}"}
    except subprocess.TimeoutExpired:
        return {"case": case, "lib": lib, "error": f"timeout after {timeout:.0f} s"}
    finally:
        os.unlink(out)


def installed(lib):
    from importlib.util import find_spec
    if lib == workers.BASE:
        return True  # a checkout, not an installed package: workers.cannot says whether one was given
    return find_spec(lib) is not None


def run_case(case, libs, args, log):
    t = time.perf_counter()
    load = os.getloadavg()[0]
    datagen.ensure(args.cache_dir, case)
    log(f"[{case}] data ready ({time.perf_counter() - t:.1f} s)")
    floors = []
    runs = {lib: [] for lib in libs}
    notes = {}
    active = []
    for lib in libs:
        reason = None if installed(lib) else "not installed"
        reason = reason or workers.cannot(case, lib, args.mem_limit_gb)
        if reason:
            notes[lib] = reason
        else:
            active.append(lib)
    for r in range(args.repeats):
        floor = spawn(args.cache_dir, case, workers.FLOOR, args.timeout, args.mem_limit_gb)
        if "floor_seconds" in floor:
            floors.append(floor["floor_seconds"])
        for lib in active:
            if runs[lib] and "error" in runs[lib][-1]:
                continue  # a library that failed once is not retried
            res = spawn(args.cache_dir, case, lib, args.timeout, args.mem_limit_gb, warmup=args.warmup)
            runs[lib].append(res)
            msg = res.get("error") or f"{res['seconds']:.3f} s, {res['peak_bytes'] / 2**20:.0f} MB, {res['n_iter']} it"
            log(f"[{case}] repeat {r + 1}/{args.repeats} {lib}: {msg}")
    summary = summarise(case, libs, runs, notes, min(floors, default=None))
    summary["loadavg"] = load
    return summary


def summarise(case, libs, runs, notes, floor_pass):
    rows = {}
    for lib in libs:
        ok = [r for r in runs.get(lib, []) if "error" not in r]
        errs = [r["error"] for r in runs.get(lib, []) if "error" in r]
        if ok:
            rows[lib] = {"seconds": statistics.median(r["seconds"] for r in ok),
                         "all_seconds": [r["seconds"] for r in ok],
                         "peak_mb": statistics.median(r["peak_bytes"] for r in ok) / 2**20,
                         "n_iter": ok[0]["n_iter"], "params": ok[0]["params"], "note": errs[0] if errs else ""}
        else:
            rows[lib] = {"note": notes.get(lib) or (errs[0] if errs else "not run")}
    ref_lib = next((lib for lib in ("glmstats", "statsmodels", "glum", "sklearn") if "params" in rows.get(lib, {})),
                   None)
    for lib, row in rows.items():
        if "params" in row and ref_lib:
            row["max_rel_diff"] = rel_diff(row["params"], rows[ref_lib]["params"])
    fitted = [lib for lib in rows if "params" in rows[lib]]
    pairwise = {f"{a}-{b}": f"{rel_diff(rows[a]['params'], rows[b]['params']):.1e}"
                for i, a in enumerate(fitted) for b in fitted[i + 1:]}
    iters = rows.get("glmstats", {}).get("n_iter") or (rows[ref_lib]["n_iter"] if ref_lib else None)
    floor = floor_pass * iters if (floor_pass and iters) else None
    kind, _, n, p = datagen.case_spec(case)
    return {"case": case, "kind": kind, "n": n, "p": p, "ref": ref_lib, "floor_pass": floor_pass,
            "floor_iters": iters, "floor": floor, "pairwise": pairwise, "x_mb": n * (p + 1) * 8 / 2**20, "rows": rows}


def rel_diff(a, b):
    import numpy as np

    a, b = np.asarray(a, float), np.asarray(b, float)
    if a.shape != b.shape:
        return float("inf")
    d = np.abs(a - b) / np.maximum(np.abs(b), REL_FLOOR)
    return float(np.max(d)) if np.all(np.isfinite(d)) else float("inf")


# ---------------------------------------------------------------- reporting

def table_rows(summary):
    out = []
    gs = summary["rows"].get("glmstats", {}).get("seconds")
    for lib, row in summary["rows"].items():
        s = row.get("seconds")
        if s is None:
            out.append([summary["case"], lib, "-", "-", "-", "-", "-", "-", row["note"]])
            continue
        agree = row.get("max_rel_diff")
        flag = "" if agree is None or agree < AGREE_TOL else "  DISAGREE"
        out.append([summary["case"], lib, f"{s:.3f}", f"{row['peak_mb']:.0f}",
                    f"{gs / s:.2f}" if gs else "-",
                    f"{s / summary['floor']:.1f}" if summary["floor"] else "-",
                    str(row["n_iter"]), f"{agree:.1e}{flag}" if agree is not None else "-", row["note"]])
    return out


HEADER = ["case", "library", "median s", "peak MB", "glmstats/this", "this/floor", "iters", "coef rel diff", "note"]


def render(summaries, markdown=False):
    rows = [r for s in summaries for r in table_rows(s)]
    lines = []
    if markdown:
        lines.append("| " + " | ".join(HEADER) + " |")
        lines.append("|" + "|".join("---" for _ in HEADER) + "|")
        lines += ["| " + " | ".join(r) + " |" for r in rows]
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(HEADER)]
        fmt = lambda r: "  ".join(c.ljust(w) if i < 2 or i == 8 else c.rjust(w)
                                  for i, (c, w) in enumerate(zip(r, widths))).rstrip()
        lines.append(fmt(HEADER))
        lines.append("  ".join("-" * w for w in widths))
        last = None
        for r in rows:
            if last and r[0] != last:
                lines.append("")
            lines.append(fmt(r))
            last = r[0]
    lines.append("")
    lines.append("floor = one numpy pass computing X'WX (dense: row blocks; factors: per-level sums) x glmstats' "
                 "IRLS iterations:")
    for s in summaries:
        if s["floor"]:
            lines.append(f"  {s['case']}: {s['floor_pass'] * 1e3:.1f} ms x {s['floor_iters']} = {s['floor']:.3f} s"
                         f"   (X as dense float64: {s['x_mb']:.0f} MB; load average before the case: "
                         f"{s.get('loadavg', float('nan')):.1f})")
    return "\n".join(lines)


def targets(summaries):
    """The issue's targets, checked case by case: one line per case."""
    lines = []
    for s in summaries:
        r = s["rows"]
        gs = r.get("glmstats", {})
        if "seconds" not in gs:
            lines.append(f"  {s['case']}: glmstats did not run ({gs.get('note')})")
            continue
        checks = []
        others = [r[k]["seconds"] for k in ("glum", "sklearn") if "seconds" in r.get(k, {})]
        base = r.get(workers.BASE, {})
        if "seconds" in base:
            checks.append(("no slower than the baseline", gs["seconds"] <= base["seconds"] * 1.1,
                           f"{gs['seconds'] / base['seconds']:.2f}x"))
        if s["kind"] == "penalized":
            if others:
                ratio = gs["seconds"] / min(others)
                checks.append(("time <= 0.8x best of glum/sklearn", ratio <= 0.8, f"{ratio:.2f}x"))
            frac = gs["peak_mb"] / s["x_mb"]
            checks.append(("peak <= 0.25x X", frac <= 0.25, f"{frac:.2f}x"))
        elif s["kind"] == "categorical":
            if "seconds" in r.get("glum", {}):
                ratio = gs["seconds"] / r["glum"]["seconds"]
                checks.append(("time <= 0.5x glum", ratio <= 0.5, f"{ratio:.2f}x"))
                checks.append(("peak <= glum's", gs["peak_mb"] <= r["glum"]["peak_mb"],
                               f"{gs['peak_mb']:.0f} vs {r['glum']['peak_mb']:.0f} MB"))
        elif others:
            ratio = gs["seconds"] / min(others)
            checks.append(("time <= 1.0x best of glum/sklearn", ratio <= 1.0, f"{ratio:.2f}x"))
        if s["kind"] == "dense":
            if "seconds" in r.get("statsmodels", {}):
                ratio = gs["seconds"] / r["statsmodels"]["seconds"]
                checks.append(("<= 0.1x statsmodels", ratio <= 0.1, f"{ratio:.3f}x"))
            if s["n"] >= 10**6 and s["floor"]:
                ratio = gs["seconds"] / s["floor"]
                checks.append(("<= 1.5x floor", ratio <= 1.5, f"{ratio:.1f}x"))
            frac = gs["peak_mb"] / s["x_mb"]
            checks.append(("peak <= 0.25x X", frac <= 0.25, f"{frac:.2f}x"))
        bad = [c for c in checks if not c[1]]
        line = "; ".join(f"{'ok' if c[1] else 'MISS'} {c[0]} ({c[2]})" for c in checks)
        lines.append(f"  {s['case']}: {'all met' if not bad else f'{len(bad)} missed'}: {line}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="n / 10 for every case and 1 repeat (under 3 minutes)")
    ap.add_argument("--cases", nargs="+", metavar="PATTERN", help="case names or globs, e.g. 'dense-*-p50'")
    ap.add_argument("--repeats", type=int, help="runs per library and case (default 3; 1 with --quick)")
    ap.add_argument("--libs", nargs="+", default=list(workers.LIBS), choices=workers.LIBS)
    ap.add_argument("--baseline", metavar="PATH",
                    help="a checkout of glmstats (the folder holding glmstats/) to measure as the library "
                         f"{workers.BASE!r}, side by side with the installed one: a change before and after")
    ap.add_argument("--cache-dir", default=os.path.join(HERE, ".cache"), help="where the generated data are kept")
    ap.add_argument("--timeout", type=float, help="seconds per fit process (default 900; 120 with --quick)")
    ap.add_argument("--mem-limit-gb", type=float, default=12.0, help="address-space cap of each fit process")
    ap.add_argument("--warmup", action="store_true",
                    help="an untimed fit on the first 20000 rows in each process before the timed one "
                         "(leaves lazy imports and first-call set-up out of the time)")
    ap.add_argument("--markdown", action="store_true", help="print the table as markdown")
    ap.add_argument("--json", help="write the machine info and all results to this file")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--report", metavar="JSON", help="print the tables of a run saved with --json, and exit")
    ap.add_argument("--worker", nargs=3, metavar=("CASE", "LIB", "OUT"), help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.baseline:
        if not os.path.isfile(os.path.join(args.baseline, "glmstats", "__init__.py")):
            sys.exit(f"--baseline {args.baseline}: no glmstats/__init__.py there")
        os.environ["GLMSTATS_BASE"] = os.path.abspath(args.baseline)
    if args.worker:
        workers.run_worker(args.cache_dir, *args.worker, warmup=args.warmup)
        return 0
    if args.report:
        with open(args.report) as f:
            saved = json.load(f)
        print_machine(saved["machine"])
        print(render(saved["results"], markdown=args.markdown))
        print("\ntargets (issue 4):\n" + targets(saved["results"]))
        return 0
    cases = select_cases(args.cases, args.quick)
    if args.list:
        print("\n".join(cases))
        return 0
    args.repeats = args.repeats or (1 if args.quick else 3)
    args.timeout = args.timeout or (120.0 if args.quick else 900.0)
    info = machine_info()
    print_machine(info)
    print(f"cases: {len(cases)}, libraries: {', '.join(args.libs)}, repeats: {args.repeats}, "
          f"warm-up fit: {'yes' if args.warmup else 'no (first fit in a fresh process)'}", flush=True)

    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    summaries = []
    for c in cases:
        summaries.append(run_case(c, args.libs, args, log))
        if len(cases) > 1:  # partial results, in case a long run is stopped
            print("\n" + render(summaries[-1:], markdown=args.markdown).split("\n\nfloor")[0], flush=True)
    print()
    print("=" * 40, "all cases", "=" * 40)
    print(render(summaries, markdown=args.markdown))
    print()
    print("targets (issue 4):")
    print(targets(summaries))
    bad = [(s["case"], lib, row["max_rel_diff"]) for s in summaries for lib, row in s["rows"].items()
           if row.get("max_rel_diff", 0) >= AGREE_TOL]
    print()
    if bad:
        print("coefficients DISAGREE (rel diff >= 1e-4; the times of those rows are not comparable): "
              + ", ".join(f"{c}/{lib} {d:.1e}" for c, lib, d in bad))
        for s in summaries:
            if any(c == s["case"] for c, _, _ in bad):
                print(f"  {s['case']} pairwise: {s.get('pairwise')}")
    else:
        print(f"coefficients: all libraries agree with {summaries[0]['ref'] if summaries else '-'} "
              f"to a relative difference < {AGREE_TOL:g}")
    info["loadavg_end"] = os.getloadavg()
    print(f"total wall time {time.perf_counter() - t0:.0f} s; load average at the end: "
          + " ".join(f"{x:.2f}" for x in info["loadavg_end"]))
    if args.json:
        for s in summaries:
            for row in s["rows"].values():
                row.pop("params", None)
        with open(args.json, "w") as f:
            json.dump({"machine": info, "args": {k: v for k, v in vars(args).items() if k != "worker"},
                       "results": summaries}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
