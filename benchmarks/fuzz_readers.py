"""Fuzz the readers: mutate a valid file of each format and read every mutant in a jail.

For each format (EDF, BDF, BrainVision, WAV, CSV force, CSV recording, WFDB, FIF) a small valid
recording is written, then N mutants are made from it (byte flips, truncations, insertions,
deletions, and header fields rewritten with extreme numbers: 0, -1, NaN, 1e300, 2**31-1, ...).
Each mutant is read with ``myoemg.read`` in a worker process under a memory limit
(``resource.setrlimit(RLIMIT_AS)``: the worker's address space after its imports plus
``--mem-mb``) and a per-mutant timeout; an accepted mutant is then analysed with
``myoemg.analyze``. Outcomes per format:

- ``error``: a clean ``MyoemgError`` (wanted for damaged files);
- ``other``: any other exception (must be 0);
- ``memory``: a ``MemoryError`` anywhere in the exception chain (must be 0);
- ``hang``: no answer within the timeout (must be 0);
- ``crash``: the worker died (a signal, an abort; must be 0);
- ``accepted``: a Recording was returned; ``analyze ok`` counts those for which ``analyze``
  gave a result or a ``MyoemgError`` (must equal ``accepted``).

Mutants that fail are kept under ``--keep`` with the traceback, for reproduction. Run::

    nice -n 10 python benchmarks/fuzz_readers.py [--n 1000] [--formats edf,wfdb]
        [--seed 0] [--mem-mb 1024] [--timeout 30] [--keep DIR] [--no-analyze]

The test suite runs a few dozen mutants per format through :func:`run` (tests/io/test_fuzz.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

FORMATS = ("edf", "bdf", "brainvision", "wav", "csv_force", "csv_recording", "wfdb", "fif")
#: Formats fuzzed from a real public file of ../shared/data (when present): nothing writes them.
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
EXTRA_FORMATS = {"spike2": "spike2py/biomech0deg.smr", "biopac": "bioread/r42_test.acq"}
EXTREMES = ["0", "-1", "1", "nan", "inf", "-inf", "1e300", "-1e300", "1e-300", "1e30", "1e-30",
            "99999999", "-99999999", "2147483647", "-2147483648", "4294967295", " ", "", "x",
            "0.0000001", "1e6", "65536"]
INT32 = [0, 1, -1, 2**31 - 1, -(2**31), 2**16, 255, 1000000]
OUTCOMES = ("error", "other", "memory", "hang", "crash", "accepted", "analyze_ok",
            "analyze_other", "analyze_memory")


# -- base files -------------------------------------------------------------------------------
def _session():
    from myoemg.sim import simulate_session

    rec, _ = simulate_session(fs_emg=1000.0, fs_force=100.0, n_trials=2, hold_s=1.5,
                              rest_s=2.0, lead_in_s=1.0, seed=3)
    return rec


def _write_brainvision(folder, rec):
    emg, force = rec["EMG FDS"], rec["Grip"]
    n = emg.n_times
    f = np.interp(np.arange(n) / emg.fs, force.times, force.data)
    data = np.stack([np.round(emg.data * 1e6 / 0.1), np.round(f / 0.01)], axis=1)
    (folder / "rec.eeg").write_bytes(np.clip(data, -32768, 32767).astype("<i2").tobytes())
    (folder / "rec.vhdr").write_text(
        "Brain Vision Data Exchange Header File Version 1.0\n\n[Common Infos]\n"
        "Codepage=UTF-8\nDataFile=rec.eeg\nMarkerFile=rec.vmrk\nDataFormat=BINARY\n"
        "DataOrientation=MULTIPLEXED\nNumberOfChannels=2\nSamplingInterval=1000\n\n"
        "[Binary Infos]\nBinaryFormat=INT_16\n\n[Channel Infos]\n"
        "Ch1=EMG FDS,,0.1,µV\nCh2=Grip,,0.01,N\n", encoding="utf-8")
    (folder / "rec.vmrk").write_text(
        "Brain Vision Data Exchange Marker File, Version 1.0\n\n[Common Infos]\n"
        "Codepage=UTF-8\nDataFile=rec.eeg\n\n[Marker Infos]\n"
        "Mk1=New Segment,,1,1,0,20240305093000000000\nMk2=Stimulus,grip,1000,1,0\n",
        encoding="utf-8")
    return folder / "rec.vhdr"


def _write_wfdb(folder, rec):
    import warnings

    with warnings.catch_warnings():  # wfdb's pandas deprecations
        warnings.simplefilter("ignore")
        import wfdb

    emg, force = rec["EMG FDS"], rec["Grip"]
    f = np.interp(np.arange(emg.n_times) / emg.fs, force.times, force.data)
    p = np.stack([emg.data * 1e3, f], axis=1)
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wfdb.wrsamp("rec", fs=emg.fs, units=["mV", "N"], sig_name=["EMG FDS", "Grip"],
                        p_signal=p, fmt=["16", "16"], adc_gain=[20000.0, 50.0],
                        baseline=[0, 0],
                        comments=["surface electrode over the forearm flexors"])
    finally:
        os.chdir(cwd)
    return folder / "rec.hea"


def make_base(fmt, folder):
    """Write a valid file of ``fmt`` into ``folder``; return the path to read."""
    from myoemg.io import write_edf, write_force_csv

    folder.mkdir(parents=True, exist_ok=True)
    if fmt in EXTRA_FORMATS:
        source = SHARED / EXTRA_FORMATS[fmt]
        if not source.is_file():
            raise FileNotFoundError(f"{source} is needed to fuzz {fmt}")
        shutil.copyfile(source, folder / source.name)
        return folder / source.name
    rec = _session()
    if fmt in ("edf", "bdf"):
        return write_edf(rec, folder / f"rec.{fmt}")
    if fmt == "brainvision":
        return _write_brainvision(folder, rec)
    if fmt == "wav":
        from scipy.io import wavfile

        x = np.round(rec["EMG FDS"].data / np.abs(rec["EMG FDS"].data).max() * 20000)
        wavfile.write(folder / "rec.wav", 4000, np.repeat(x, 4).astype(np.int16))
        return folder / "rec.wav"
    if fmt == "csv_force":
        return write_force_csv(rec["Grip"], folder / "rec.csv", unit="kgf")
    if fmt == "csv_recording":
        emg, force = rec["EMG FDS"], rec["Grip"]
        f = np.interp(emg.times, force.times, force.data)
        table = np.column_stack([emg.times, emg.data * 1e6, f])
        np.savetxt(folder / "rec.csv", table, fmt=["%.4f", "%.3f", "%.4f"], delimiter=",",
                   header="# Sampling Rate (Hz):= 1000\ntime_s,EMG FDS (uV),Grip (N)",
                   comments="")
        return folder / "rec.csv"
    if fmt == "wfdb":
        return _write_wfdb(folder, rec)
    if fmt == "fif":
        rec.to_mne().save(folder / "rec_raw.fif", verbose="error")
        return folder / "rec_raw.fif"
    raise ValueError(fmt)


# -- mutations --------------------------------------------------------------------------------
def _pos(rng, n, head=2048):
    """A position biased towards the header (half the time in the first ``head`` bytes)."""
    if n == 0:
        return 0
    return int(rng.integers(0, min(n, head) if rng.random() < 0.5 else n))


def _flip(rng, b):
    for _ in range(int(rng.integers(1, 9))):
        if b:
            b[_pos(rng, len(b))] = int(rng.integers(0, 256))
    return b


def _truncate(rng, b):
    return b[: _pos(rng, len(b))]


def _insert(rng, b):
    i = _pos(rng, len(b))
    if rng.random() < 0.5 and len(b) > 8:
        j = int(rng.integers(0, len(b) - 1))
        chunk = b[j: j + int(rng.integers(1, 512))]
    else:
        chunk = bytearray(rng.integers(0, 256, int(rng.integers(1, 64))).astype(np.uint8))
    return b[:i] + chunk + b[i:]


def _delete(rng, b):
    i = _pos(rng, len(b))
    return b[:i] + b[i + int(rng.integers(1, 256)):]


def _extreme(rng):
    if rng.random() < 0.2:
        return str(int(rng.integers(-10**9, 10**9)))
    return EXTREMES[int(rng.integers(0, len(EXTREMES)))]


def _text_field(rng, b):
    """Replace a number (or a whole line) of a text file with an extreme value."""
    text = b.decode("latin-1")
    numbers = list(re.finditer(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", text[:20000]))
    if numbers and rng.random() < 0.8:
        m = numbers[int(rng.integers(0, len(numbers)))]
        text = text[: m.start()] + _extreme(rng) + text[m.end():]
    else:
        lines = text.split("\n")
        k = int(rng.integers(0, min(len(lines), 200)))
        op = rng.random()
        if op < 0.4:
            lines[k] = "garbage,line;with=odd:fields" if rng.random() < 0.5 else ""
        elif op < 0.7:
            lines.insert(k, lines[k])
        else:
            del lines[k]
        text = "\n".join(lines)
    return bytearray(text.encode("latin-1", errors="replace"))


def _edf_field(rng, b):
    """Rewrite one EDF/BDF header field with an extreme value, padded to its width."""
    if len(b) < 256:
        return _flip(rng, b)
    ns = int(b[252:256].decode("ascii", "replace").strip() or 0) if \
        b[252:256].strip().isdigit() else 1
    fixed = [(168, 8), (176, 8), (184, 8), (236, 8), (244, 8), (252, 4)]
    widths = [16, 80, 8, 8, 8, 8, 8, 80, 8, 32]
    if rng.random() < 0.5 or ns < 1:
        start, width = fixed[int(rng.integers(0, len(fixed)))]
    else:
        field = int(rng.integers(0, len(widths)))
        sig = int(rng.integers(0, ns))
        start = 256 + sum(w * ns for w in widths[:field]) + widths[field] * sig
        width = widths[field]
    value = _extreme(rng).encode()[:width].ljust(width)
    b[start: start + width] = value
    return b


def _wav_field(rng, b):
    """Rewrite a RIFF/WAVE size or format field with an extreme integer."""
    offsets = [(4, "<I"), (16, "<I"), (22, "<H"), (24, "<I"), (28, "<I"), (32, "<H"),
               (34, "<H"), (40, "<I")]
    off, code = offsets[int(rng.integers(0, len(offsets)))]
    if off + struct.calcsize(code) <= len(b):
        limit = 2**16 if code == "<H" else 2**32
        value = int(rng.choice([0, 1, limit - 1, limit // 2, int(rng.integers(0, limit))]))
        b[off: off + struct.calcsize(code)] = struct.pack(code, value)
    return b


def _fif_tags(b):
    pos, out = 0, []
    while pos + 16 <= len(b) and len(out) < 5000:
        _, _, size, nxt = struct.unpack(">iIii", b[pos:pos + 16])
        out.append(pos)
        if size < 0 or nxt not in (0,):
            break
        pos += 16 + size
    return out


def _fif_field(rng, b):
    """Rewrite the kind, type, size or next of one FIF tag with an extreme int32."""
    tags = _fif_tags(b)
    if not tags:
        return _flip(rng, b)
    pos = tags[int(rng.integers(0, len(tags)))] + 4 * int(rng.integers(0, 4))
    b[pos: pos + 4] = struct.pack(">i", int(rng.choice(INT32)))
    return b


FIELD_MUTATOR = {"edf": _edf_field, "bdf": _edf_field, "wav": _wav_field, "fif": _fif_field}
GENERIC = (_flip, _truncate, _insert, _delete)


def targets(fmt, base):
    """The files of a recording that mutants change (header and data files)."""
    if fmt == "brainvision":
        return [base, base.with_suffix(".vmrk"), base.with_suffix(".eeg")]
    if fmt == "wfdb":
        return [base, base.with_suffix(".dat")]
    return [base]


def mutate(fmt, base, out_dir, rng):
    """Copy the base recording into ``out_dir`` and mutate one of its files.

    Returns
    -------
    path : Path
        The file to read; ``how`` : str, the mutation applied.
    """
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(base.parent, out_dir)
    files = targets(fmt, base)
    victim = out_dir / files[int(rng.integers(0, len(files)))].name
    data = bytearray(victim.read_bytes())
    is_text = victim.suffix in (".vhdr", ".vmrk", ".hea", ".csv")
    field = _text_field if is_text else FIELD_MUTATOR.get(fmt)
    ops = list(GENERIC) + ([field] * 3 if field else [])
    chosen = [ops[int(rng.integers(0, len(ops)))]
              for _ in range(1 if rng.random() < 0.7 else int(rng.integers(2, 4)))]
    for op in chosen:  # one mutation, or a few stacked
        data = op(rng, data)
    victim.write_bytes(bytes(data))
    names = "+".join(op.__name__.strip("_") for op in chosen)
    return out_dir / base.name, f"{names} on {victim.name}"


# -- the worker (runs in the jail) ------------------------------------------------------------
def _chain(err):
    seen = []
    while err is not None and len(seen) < 10:
        seen.append(err)
        err = err.__cause__ or err.__context__
    return seen


def _classify(err):
    from myoemg.utils import MyoemgError

    chain = _chain(err)
    if any(isinstance(e, MemoryError) for e in chain):
        return "memory"
    return "error" if isinstance(err, MyoemgError) else "other"


def _one(job):
    import traceback
    import warnings

    import myoemg

    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            rec = myoemg.read(job["path"])
        except BaseException as err:  # noqa: BLE001 - the point is to see everything
            kind = _classify(err)
            out = {"outcome": kind, "type": type(err).__name__, "message": str(err)[:500]}
            if kind != "error":
                out["traceback"] = traceback.format_exc()[-3000:]
            return out
        out = {"outcome": "accepted"}
        if not job.get("analyze", True):
            return out
        try:
            myoemg.analyze(rec)
            out["analyze"] = "ok"
        except BaseException as err:  # noqa: BLE001
            kind = _classify(err)
            out["analyze"] = {"error": "ok", "other": "other", "memory": "memory"}[kind]
            if kind != "error":
                out.update(type=type(err).__name__, message=str(err)[:500],
                           traceback=traceback.format_exc()[-3000:])
    return out


def worker(mem_mb):
    """Read jobs (JSON lines) from stdin, answer each with one JSON line on stdout."""
    import logging
    import resource

    import myoemg  # noqa: F401 - warm imports before the limit
    import myoemg.io.brainvision  # noqa: F401
    import myoemg.io.fif  # noqa: F401
    import myoemg.io.wfdb  # noqa: F401
    import myoemg.pipeline  # noqa: F401

    logging.getLogger("myoemg").setLevel(logging.CRITICAL)
    import pandas as pd

    pd.Series(["warm"] * 3).str.upper()  # allocators that reserve address space on first use
    vm = _vm_bytes()
    limit = vm + mem_mb * 1024**2
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    # The protocol gets its own descriptor; fd 1 (stray prints, C libraries) goes to stderr.
    out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    out.write(json.dumps({"ready": True, "vm_mb": vm // 2**20, "limit_mb": limit // 2**20})
              + "\n")
    out.flush()
    for line in sys.stdin:
        out.write(json.dumps(_one(json.loads(line))) + "\n")
        out.flush()


def _vm_bytes():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


# -- the driver -------------------------------------------------------------------------------
class Jail:
    """One worker process, restarted after a hang or a crash."""

    def __init__(self, mem_mb, timeout):
        self.mem_mb, self.timeout, self.proc = mem_mb, timeout, None

    def start(self):
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
               "MKL_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore",
               "ARROW_DEFAULT_MEMORY_POOL": "system"}  # no arena reserved past the limit
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--worker", "--mem-mb", str(self.mem_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, env=env, start_new_session=True)
        hello = self._answer(120)
        if not hello or not hello.get("ready"):
            raise RuntimeError("the fuzz worker did not start")
        self.info = hello

    def _answer(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return None
        line = self.proc.stdout.readline()
        if not line:
            return {"outcome": "crash", "returncode": self.proc.poll()}
        try:
            return json.loads(line)
        except ValueError:
            return {"outcome": "crash", "message": f"unreadable answer {line[:200]!r}"}

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None

    def run(self, job):
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        answer = self._answer(self.timeout)
        if answer is None:
            self.stop()
            return {"outcome": "hang"}
        if answer.get("outcome") == "crash":
            self.proc.wait()
            answer["returncode"] = self.proc.returncode
            self.proc = None
        elif "memory" in (answer.get("outcome"), answer.get("analyze")):
            self.stop()  # a fresh worker: no failure should cascade into the next mutants
        return answer


def run(formats=FORMATS, n=1000, *, seed=0, mem_mb=1024, timeout=30.0, analyze=True,
        keep=None, progress=False):
    """Fuzz ``formats`` with ``n`` mutants each.

    Returns
    -------
    table : dict
        format -> {outcome: count} (:data:`OUTCOMES` plus ``tried``), and
        ``failures`` : list of dict (format, mutation, outcome, type, message, traceback).
    """
    table, failures = {}, []
    jail = Jail(mem_mb, timeout)
    with tempfile.TemporaryDirectory(prefix="myoemg-fuzz-") as tmp:
        tmp = Path(tmp)
        try:
            for k, fmt in enumerate(formats):
                base = make_base(fmt, tmp / "base" / fmt)
                counts = dict.fromkeys(("tried", *OUTCOMES), 0)
                t0 = time.perf_counter()
                for i in range(n):
                    rng = np.random.default_rng([seed, k, i])
                    path, how = mutate(fmt, base, tmp / "mutant" / fmt, rng)
                    answer = jail.run({"path": str(path), "analyze": analyze})
                    counts["tried"] += 1
                    counts[answer["outcome"]] += 1
                    if answer["outcome"] == "accepted" and analyze:
                        counts[f"analyze_{answer['analyze']}"] += 1
                    bad = answer["outcome"] in ("other", "memory", "hang", "crash") or \
                        answer.get("analyze") in ("other", "memory")
                    if bad:
                        failures.append({"format": fmt, "mutant": i, "mutation": how, **answer})
                        if keep is not None:
                            dest = Path(keep) / f"{fmt}-{i}"
                            shutil.copytree(path.parent, dest, dirs_exist_ok=True)
                            (dest / "answer.json").write_text(json.dumps(answer, indent=1))
                    if progress and (i + 1) % 100 == 0:
                        print(f"  {fmt}: {i + 1}/{n} ({time.perf_counter() - t0:.0f} s)",
                              file=sys.stderr, flush=True)
                counts["seconds"] = round(time.perf_counter() - t0, 1)
                table[fmt] = counts
        finally:
            info = getattr(jail, "info", {})
            jail.stop()
    return {"formats": table, "failures": failures, "headroom_mb": mem_mb,
            "worker_vm_mb": info.get("vm_mb"), "worker_limit_mb": info.get("limit_mb")}


def format_table(result):
    cols = ["tried", "error", "other", "memory", "hang", "crash", "accepted", "analyze_ok",
            "analyze_other", "analyze_memory", "seconds"]
    head = ["format", "tried", "MyoemgError", "other", "memory", "hang", "crash", "accepted",
            "analyze ok", "analyze other", "analyze memory", "s"]
    rows = [head] + [[fmt] + [str(c[k]) for k in cols] for fmt, c in result["formats"].items()]
    widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
    lines = ["  ".join(v.rjust(w) if j else v.ljust(w) for j, (v, w) in
                       enumerate(zip(r, widths, strict=True))) for r in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="mutants per format")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--mem-mb", type=int, default=1024,
                        help="address space allowed above the worker's after its imports")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per mutant")
    parser.add_argument("--no-analyze", action="store_true")
    parser.add_argument("--keep", help="folder for the failing mutants")
    parser.add_argument("--json", help="write the table and failures here")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.mem_mb)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    result = run(formats, args.n, seed=args.seed, mem_mb=args.mem_mb, timeout=args.timeout,
                 analyze=not args.no_analyze, keep=args.keep, progress=True)
    print(format_table(result))
    print(f"worker address space after imports {result['worker_vm_mb']} MB, limit "
          f"{result['worker_limit_mb']} MB (RLIMIT_AS); timeout {args.timeout:g} s per mutant")
    for f in result["failures"][:20]:
        print(f"\n[{f['format']} #{f['mutant']}: {f['mutation']}] {f['outcome']} "
              f"{f.get('analyze', '')} {f.get('type', '')}: {f.get('message', '')}")
        print(f.get("traceback", "")[-1200:])
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))
    bad = sum(c["other"] + c["memory"] + c["hang"] + c["crash"] + c["analyze_other"]
              + c["analyze_memory"] for c in result["formats"].values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
