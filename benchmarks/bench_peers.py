"""myoemg against NeuroKit2 ``emg_process`` and BioSPPy ``emg`` on the same EMG (issue 15).

Each tool runs in its own interpreter, so each has its own environment and none pays for the
others' imports: NeuroKit2 and BioSPPy each in a virtual environment of their own
(``--setup DIR`` creates them with pip; or pass ``--neurokit-python`` / ``--biosppy-python``),
myoemg in this one. Every tool gets the same float64 arrays (saved as ``.npy`` in a temporary
folder): the EMG channel of the benchmark's 'steady' session (:mod:`benchmarks._sessions`,
2 kHz), whole (about 10 min) and its first 60 s. Times are the least of ``--repeat`` calls
after one warm-up call, inside each tool's process; the ratio is the peer's time over
myoemg's. The import column times the import statement only: ``import myoemg`` is lazy, and
its first call (the warm-up) pays the rest.

What each call does:

- NeuroKit2 ``emg_process(emg, sampling_rate=fs)``: cleaning (high-pass 100 Hz, detrending),
  the amplitude envelope and the activation (onsets) of the EMG.
- BioSPPy ``signals.emg.emg(signal, sampling_rate=fs, show=False)``: band-pass filtering and
  onset detection.
- myoemg, two rows: ``analyze`` of an EMG-only recording without the discharge detector (the
  comparable work: band-pass and hum removal, envelope, the grips found as bursts of EMG,
  signal quality checks), and with it (the decomposition into units after every grip, which
  neither peer does).

Run: python benchmarks/bench_peers.py --setup ~/.cache/myoemg-peers [--repeat 5]
                                      [--durations 60,600] [--json out.json]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _sessions import session  # noqa: E402

#: Per peer: its package, the import and the call timed (``x``, ``fs`` given).
PEERS = {
    "neurokit2": ("neurokit2", "import neurokit2 as nk",
                  "nk.emg_process(x, sampling_rate=fs)"),
    "biosppy": ("biosppy", "from biosppy.signals import emg as bemg",
                "bemg.emg(signal=x, sampling_rate=fs, show=False)"),
}
#: What pip installs in each peer's environment (BioSPPy 2.2 imports peakutils without
#: declaring it).
PIP = {"neurokit2": ["neurokit2"], "biosppy": ["biosppy", "peakutils"]}

#: Timing harness run inside each tool's interpreter: prints one JSON line.
HARNESS = textwrap.dedent("""
    import json, resource, sys, time, warnings
    import numpy as np
    warnings.simplefilter("ignore")
    t0 = time.perf_counter()
    {imports}
    import_s = time.perf_counter() - t0
    x = np.load(sys.argv[1]); fs = float(sys.argv[2]); repeat = int(sys.argv[3])
    {prepare}
    {call}
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        {call}
        best = min(best, time.perf_counter() - t0)
    print(json.dumps({{"seconds": best, "import_s": import_s,
                      "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
""")

MYOEMG_PREPARE = ("from myoemg.recording import Channel, Recording; "
                  "rec = Recording([Channel('EMG', 'emg', x, fs, 'V', source_unit='V')], "
                  "source='peers')")


def _venv_python(folder, name):
    """Interpreter of peer ``name``'s virtual environment in ``folder`` (made if absent)."""
    python = Path(folder) / name / "bin" / "python"
    if not python.exists():
        print(f"  creating the {name} environment in {python.parent.parent} (pip)",
              flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(python.parent.parent)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PIP[name]], check=True)
    return str(python)


def _run(python, imports, prepare, call, path, fs, repeat):
    """Seconds (least of ``repeat``), import time and peak RSS of ``call`` in ``python``."""
    script = HARNESS.format(imports=imports, prepare=prepare, call=call)
    out = subprocess.run([python, "-c", script, str(path), str(fs), str(repeat)],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"{python} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _version(python, package):
    out = subprocess.run([python, "-c", f"import importlib.metadata as m; "
                          f"print(m.version({package!r}))"], capture_output=True, text=True,
                         check=False)
    return out.stdout.strip() or "?"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--setup", metavar="DIR",
                        help="create (or reuse) one virtual environment per peer here")
    parser.add_argument("--neurokit-python", help="interpreter with neurokit2 installed")
    parser.add_argument("--biosppy-python", help="interpreter with biosppy installed")
    parser.add_argument("--repeat", type=int, default=3,
                        help="calls timed per tool (NeuroKit2 takes about a minute per call "
                             "on 10 min of EMG)")
    parser.add_argument("--durations", default="60,600", help="seconds of EMG, comma-separated")
    parser.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = parser.parse_args()
    given = {"neurokit2": args.neurokit_python, "biosppy": args.biosppy_python}
    pythons = {}
    for name in PEERS:
        if given[name]:
            pythons[name] = given[name]
        elif args.setup:
            pythons[name] = _venv_python(os.path.expanduser(args.setup), name)
    if not pythons:
        parser.error("give --setup DIR, or --neurokit-python / --biosppy-python")
    rec = session("10min_2k_1ch")
    emg, fs, _ = rec.get_data("emg")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs; min of "
          f"{args.repeat}; EMG {fs:g} Hz, 1 channel")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for dur in (float(d) for d in args.durations.split(",") if d):
            x = np.ascontiguousarray(emg[0, :int(min(dur, emg.shape[1] / fs) * fs)])
            path = Path(tmp) / f"emg_{dur:g}s.npy"
            np.save(path, x)
            runs = {
                "myoemg analyze, no detector": (sys.executable, "import myoemg",
                                                MYOEMG_PREPARE,
                                                "myoemg.analyze(rec, detect=False, "
                                                "verbose='error')"),
                "myoemg analyze": (sys.executable, "import myoemg", MYOEMG_PREPARE,
                                   "myoemg.analyze(rec, verbose='error')"),
            }
            for name, python in pythons.items():
                _, imports, call = PEERS[name]
                label = f"{name} {_version(python, PEERS[name][0])}"
                runs[label] = (python, imports, "pass", call)
            t0 = time.perf_counter()
            for label, (python, imports, prepare, call) in runs.items():
                r = _run(python, imports, prepare, call, path, fs, args.repeat)
                rows.append({"duration_s": x.size / fs, "tool": label, **r})
            print(f"  {x.size / fs:.0f} s of EMG: done in {time.perf_counter() - t0:.0f} s",
                  flush=True)
    show(rows)
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


def show(rows):
    """Table of times and ratios to myoemg (without and with the detector)."""
    print(f"{'EMG s':>6} {'tool':34} {'time s':>8} {'import s':>8} {'RSS MiB':>8} "
          f"{'/ myoemg no det.':>16} {'/ myoemg':>9}")
    for dur in sorted({r["duration_s"] for r in rows}):
        group = [r for r in rows if r["duration_s"] == dur]
        base = {r["tool"]: r["seconds"] for r in group}
        for r in group:
            print(f"{dur:6.0f} {r['tool']:34} {r['seconds']:8.3f} {r['import_s']:8.2f} "
                  f"{r['max_rss_mib']:8.0f} "
                  f"{r['seconds'] / base['myoemg analyze, no detector']:15.1f}x "
                  f"{r['seconds'] / base['myoemg analyze']:8.1f}x")
    print("ratio > 1: the tool takes that many times as long as myoemg")


if __name__ == "__main__":
    main()
