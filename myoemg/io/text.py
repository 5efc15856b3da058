"""CSV / TSV / TXT exports of dynamometers and EMG systems.

Rules (documented for users in :func:`read_text`):

- Encoding UTF-8 (a byte-order mark is skipped), else Latin-1.
- Lines starting with ``#`` or ``%`` before the data are a header; ``key:= value``,
  ``key: value`` and ``key = value`` pairs are read from it (the BioSPPy style
  ``# Sampling Rate (Hz):= 1000.00``; ``# Labels:= EMG``; ``# Units:= mV``; ``# Start:= <ISO>``).
- Delimiter sniffed among tab, ``;``, ``,``, ``|`` and blanks; decimal comma recognised when
  the delimiter is not a comma (``1,5;2,25``).
- An optional row of column names. A column named ``time``, ``t``, ``time_s``,
  ``Time (ms)``, ``timestamp``... is the time axis (seconds, or ms when its name says so;
  absolute date-times give the start time). Without one, the rate comes from ``fs=`` or from
  the header; neither is an error.
- Each other column is a channel. Its unit comes from the name (``force_kgf``, ``Force (N)``,
  ``EMG [µV]``, ``emg_mV``) or from ``unit=`` / the header ``Units``; the name without the unit
  is the channel name.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from ..utils import PRESSURE_UNITS, RecordingError, logger, normalise_unit, to_si, validate_fs
from ._common import UNCALIBRATED_UNITS, RawChannel, build_recording, check_path, reading
from ._limits import check_rate
from ._text_table import load_table

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from ..recording import Recording

_TIME_NAME = re.compile(
    r"^\s*(time|t|sec|secs|seconds|timestamp|timestamps|zeit|temps|elapsed(?:[ _]time)?)"
    r"(?:[\s_\-]*[\(\[]?\s*(s|sec|seconds|ms|msec|milliseconds|min|us)?\s*[\)\]]?)?\s*$",
    re.I)
_UNIT_BRACKET = re.compile(r"^(.*?)[\s_\-]*[\(\[]\s*([^\)\]]*?)\s*[\)\]]\s*$")
_UNIT_SUFFIX = re.compile(r"^(.*?[^\s_\-])[\s_\-]+([A-Za-z\u00b5\u03bc.%]+)\s*$")
_EXTRA_UNITS = {"deg", "degc", "%", "pct", "s", "ms", "hz", "us", "siemens", "ohm", "l", "l/s"}
_RATE_KEYS = re.compile(r"sampl\w*\s*(rate|freq\w*)|^fs$|^sfreq$|^rate$|^frequency$", re.I)
TEXT_SUFFIXES = (".csv", ".tsv", ".txt", ".dat", ".asc")


def split_unit(name):
    """Split a column name into (channel name, unit): 'force_kgf' -> ('force', 'kgf')."""
    name = str(name).strip()
    m = _UNIT_BRACKET.match(name)
    if m and m.group(1).strip():
        return m.group(1).strip(), m.group(2).strip()
    m = _UNIT_SUFFIX.match(name)
    if m:
        unit = m.group(2)
        norm = normalise_unit(unit)
        if to_si(unit)[0] is not None or norm in _EXTRA_UNITS or norm in PRESSURE_UNITS or (
                norm in UNCALIBRATED_UNITS and norm.isalpha()):
            return m.group(1).strip(), unit
    return name, ""


def _header_rate(header, path):
    """The sampling rate a header line gives (Hz), checked, or None."""
    for key, value in header.items():
        if _RATE_KEYS.search(key):
            m = re.search(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?", value.replace(",", "."))
            if m:
                rate = float(m.group(0))
                if "khz" in (key + value).lower():
                    rate *= 1000.0
                return check_rate(rate, path, key)
    return None


def _sniff(lines):
    """Return (sep for pandas, decimal)."""
    sample = [ln for ln in lines[:50] if ln.strip()]
    if not sample:
        return ",", "."
    best = None
    for sep in ("\t", ";", ",", "|"):
        counts = [ln.count(sep) for ln in sample]
        if counts[0] > 0 and len(set(counts[1:] or counts)) == 1 and counts[-1] > 0:
            best = sep
            break
    if best is None:
        tokens = [len(ln.split()) for ln in sample]
        if tokens[0] > 1 and len(set(tokens)) == 1:
            best = r"\s+"
        else:
            best = ","
    decimal = "."
    if best != ",":
        body = "\n".join(sample[1:] if len(sample) > 1 else sample)
        if re.search(r"\d,\d", body) and not re.search(r"\d\.\d", body):
            decimal = ","
    return best, decimal


def _is_number(token, decimal):
    token = token.strip().strip('"').strip("'")
    if decimal == ",":
        token = token.replace(",", ".")
    try:
        float(token)
    except ValueError:
        return token.lower() in ("nan", "")
    return True


def _time_scale(name):
    m = _TIME_NAME.match(str(name))
    unit = (m.group(2) or "s").lower() if m else "s"
    return {"ms": 1e-3, "msec": 1e-3, "milliseconds": 1e-3, "min": 60.0, "us": 1e-6}.get(unit,
                                                                                        1.0)


def _sniffer(path):
    """The ``sniff`` callback of :func:`load_table`: layout and truncation checks."""
    def sniff(first, last, ends_cleanly):
        if not first:
            raise RecordingError(f"{path} holds no data rows.")
        sep, decimal = _sniff(first)
        split = (lambda ln: ln.split()) if sep == r"\s+" else (lambda ln: ln.split(sep))
        has_names = not all(_is_number(tok, decimal) for tok in split(first[0]))
        n_fields = len(split(first[-1 if len(first) == 1 else 1]))
        if len(last) > 3 and not ends_cleanly:
            typical = float(np.median([len(ln) for ln in last[-100:-1]]))
            if len(last[-1]) < 0.8 * typical:
                raise RecordingError(
                    f"{path} looks truncated: it does not end with a line break and its last "
                    f"row ({last[-1][:40]!r}) is shorter than the others.")
        tail = split(last[-1])
        if len(last) > 2 and (len(tail) < n_fields or (
                not tail[-1].strip() and split(last[-2])[-1].strip())):
            raise RecordingError(
                f"{path} is truncated: its last row has {len(tail)} of {n_fields} fields "
                f"({last[-1][:40]!r}).")
        return sep, decimal, has_names
    return sniff


def _name_columns(table):
    df = table.df
    if not table.has_names:
        labels = re.split(r"[\t,;]+|\s{2,}", table.header.get("labels", "")) if \
            table.header.get("labels") else []
        labels = [lb.strip() for lb in labels if lb.strip()]
        if len(labels) != df.shape[1]:
            labels = [f"ch{i + 1}" for i in range(df.shape[1])]
        df.columns = labels
    df.columns = [str(c).strip() for c in df.columns]


def _time_axis(table, tcol, path):
    """(times in s, start time or None) from the time column, with bad rows named."""
    import pandas as pd

    t = table.df.pop(tcol)
    if pd.api.types.is_numeric_dtype(t):
        return t.to_numpy(float) * _time_scale(tcol), None
    numbers = pd.to_numeric(t, errors="coerce")
    if numbers.notna().mean() > 0.5:  # numbers with a few bad cells, not date-times
        row = int(np.flatnonzero((numbers.isna() & t.notna()).to_numpy() | t.isna().to_numpy())[0])
        raise RecordingError(f"time column {tcol!r} of {path} holds {t.iloc[row]!r}, not a "
                             f"number, at line {table.file_line(row)} (data row {row + 1}).")
    stamps = pd.to_datetime(t, errors="coerce", utc=True, format="mixed")
    if stamps.isna().any():
        row = int(stamps.isna().to_numpy().argmax())
        raise RecordingError(f"time column {tcol!r} of {path} holds {t.iloc[row]!r}, neither "
                             f"a number nor a date, at line {table.file_line(row)} (data row "
                             f"{row + 1}).")
    return (stamps - stamps.iloc[0]).dt.total_seconds().to_numpy(), \
        stamps.iloc[0].to_pydatetime()


def _rate_from_times(t, tcol, path, fs, header_fs):
    """(rate in Hz, time of the first sample in s) from a time column."""
    if t.size < 2:
        raise RecordingError(f"{path} has a single row; a rate cannot be found from one "
                             "time value.")
    dt = np.diff(t)
    step = float(np.median(dt))
    if not np.isfinite(step) or step <= 0:
        raise RecordingError(f"time column {tcol!r} of {path} does not increase.")
    span = float(t[-1] - t[0])
    rate = (t.size - 1) / span if span > 0 else float("nan")  # whole span: rounding-robust
    jitter = float(np.max(np.abs(dt - step))) / step
    if jitter > 0.05:
        raise RecordingError(
            f"time column {tcol!r} of {path} is irregular (steps from {dt.min():.6g} to "
            f"{dt.max():.6g} s); resample the export to a fixed rate, or drop the time "
            "column and pass fs=.")
    rate = validate_fs(fs, "fs") if fs is not None else _round_rate(
        check_rate(rate, path, f"time column {tcol!r}", detail=f"steps of {step:g} s"))
    if header_fs and abs(header_fs - rate) > 0.01 * rate:
        logger.warning("%s: header rate %g Hz disagrees with the time column (%g Hz); "
                       "using the time column.", path, header_fs, rate)
    return rate, float(t[0])


def parse_table(path, *, fs=None, unit=None, time_column=None):
    """Parse a text export into (raws, start_time, header) without assigning roles.

    Parameters are those of :func:`read_text`.
    """
    import pandas as pd

    table = load_table(path, sniff=_sniffer(path))
    _name_columns(table)
    df, header = table.df, table.header
    if df.shape[0] == 0:
        raise RecordingError(f"{path} holds a header but no data rows.")
    tcol = time_column
    if tcol is None:
        tcol = next((c for c in df.columns if _TIME_NAME.match(c)), None)
    elif tcol not in df.columns:
        raise RecordingError(f"time column {tcol!r} not found in {path}; columns are "
                             f"{list(df.columns)[:20]}.")
    start_time, start_s = None, 0.0
    header_fs = _header_rate(header, path)
    if tcol is not None:
        t, start_time = _time_axis(table, tcol, path)
        rate, start_s = _rate_from_times(t, tcol, path, fs, header_fs)
    elif fs is not None:
        rate = validate_fs(fs, "fs")
    elif header_fs:
        rate = header_fs
    else:
        raise RecordingError(
            f"{path} has no time column and no sampling rate in its header; pass fs=<Hz> "
            f"(columns are {list(df.columns)[:20]}).")
    header_unit = header.get("units") or header.get("unit")
    raws = []
    for col in df.columns:
        values = pd.to_numeric(df[col], errors="coerce")
        bad = values.isna() & df[col].notna()
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise RecordingError(f"column {col!r} of {path} holds a non-number "
                                 f"({df[col].iloc[row]!r}) at line {table.file_line(row)} "
                                 f"(data row {row + 1}).")
        name, col_unit = split_unit(col)
        u = unit if unit is not None else (col_unit or header_unit or "")
        raws.append(RawChannel(name, values.to_numpy(float), rate, u, start_s, hint=col))
    if not raws:
        raise RecordingError(f"{path} holds a time column but no signal column.")
    return raws, start_time, header


def _round_rate(rate):
    """Snap float noise: 499.99999998 Hz -> 500 Hz (to 1e-6 relative)."""
    for digits in range(0, 7):
        r = round(rate, digits)
        if r > 0 and abs(r - rate) <= 1e-6 * rate:
            return r
    return rate


def read_text(path, *, fs=None, unit=None, time_column=None, emg=None, force_channel=None,
              force_unit=None, force_calibration=None, emg_calibration=None,
              keep_identifiers=False) -> Recording:
    """Read a CSV / TSV / TXT export (one column per channel) into a Recording.

    Parameters
    ----------
    path : str | Path
        The text file.
    fs : float | None
        Sampling rate in Hz, when the file has no time column and no rate in its header
        (overrides both otherwise).
    unit : str | None
        Unit of every signal column, when the column names and header do not say.
    time_column : str | None
        Name of the time column (found by name otherwise: ``time``, ``t``, ``time_s``...).
    emg, force_channel, force_unit, force_calibration, emg_calibration, keep_identifiers
        See :func:`myoemg.io.read`. Channel names may be given with or without their unit
        ('force_kgf' or 'force').

    Returns
    -------
    Recording
    """
    path = check_path(path)
    with reading(path, "CSV/TSV text"):
        raws, start_time, header = parse_table(path, fs=fs, unit=unit, time_column=time_column)
    emg = _base_names(emg, raws)
    force_channel = _base_names(force_channel, raws)
    meta = {k: header.get(k) for k in ("muscle", "side", "electrode", "device")}
    # a free-text header line ("# Subject: Firstname Lastname") holds no code: an identifier
    ident = {f"header_{k}": header[k] for k in ("subject", "patient", "name") if k in header}
    return build_recording(path, raws, start_time=start_time, metadata=meta,
                           identifiers=ident, keep_identifiers=keep_identifiers, emg=emg,
                           force_channel=force_channel, force_unit=force_unit,
                           force_calibration=force_calibration, emg_calibration=emg_calibration)


def _base_names(names, raws):
    """Map column headers ('force_kgf') given by the user to channel names ('force')."""
    if names is None:
        return None
    lookup = {r.hint: r.name for r in raws}
    if isinstance(names, str):
        return lookup.get(names, names)
    return [lookup.get(n, n) for n in names]


def is_text_path(path):
    """True when ``path`` has a text-export suffix (.csv, .tsv, .txt...)."""
    return Path(path).suffix.lower() in TEXT_SUFFIXES
