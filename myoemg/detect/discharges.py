"""Myotonic discharges and their look-alikes: decompose EMG into units, classify each train.

:func:`decompose` works per channel and per search window (slices of the cleaned EMG, never
full-length copies): the noise SD comes from the channel's quiet blocks
(:func:`myoemg.signal.quiet_noise_sd`); a window that starts busy (every 20 ms block raised
above the noise, :func:`myoemg.detect.grouping.interference_end`) is cut where the busy
stretch ends, and the busy stretch and the rest are sorted apart (see :func:`decompose`); the
spikes are sorted into units (:func:`myoemg.detect.sorting.sort_window`), each unit's spikes
form trains by interval continuity, and each **unit train** is named by the rules of
:class:`~myoemg.detect.rules.DischargeRules` (docs: domain reference, discharges). A unit seen
on two channels at the same instants (cross-talk) is reported once, on the channel where it is
larger.
:func:`detect_discharges` returns the trains table; ``return_details=True`` gives the whole
:class:`Decomposition` (trains, sorted spikes, unit templates, search windows).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..signal.filters import EMG_BANDS_HZ, clean_emg
from ..signal.quiet import quiet_noise_sd
from ..utils import as_2d, check_option, logger, validate_fs, verbose
from .features import train_features
from .grouping import (
    check_windows,
    crosstalk_pairs,
    drop_extra_spikes,
    interference_end,
    split_train,
)
from .rules import KINDS, DischargeRules, check_rules, classify_train
from .snippets import snippets_at
from .sorting import sort_window
from .tracking import needs_tracking, track_pool

#: Columns of the trains table (one row per unit train), in order.
DISCHARGE_COLUMNS = [
    "channel", "start_s", "end_s", "duration_s", "n_spikes",
    "rate_start_hz", "rate_end_hz", "rate_min_hz", "rate_max_hz", "rate_median_hz",
    "amplitude_min_uv", "amplitude_max_uv", "amplitude_median_uv",
    "rate_modulation", "amplitude_modulation", "isi_cv", "isi_cv2", "amplitude_cv2",
    "amplitude_noise_cv2",
    "waveform_similarity", "n_phases", "spike_duration_ms", "amplitude_start_frac",
    "amplitude_end_frac", "duty_cycle", "snr_median", "mains_locking", "mains_fraction",
    "n_missed", "kind", "score", "unit", "rule", "reason",
]
#: Columns of the spikes table (one row per sorted spike).
SPIKE_TABLE_COLUMNS = ["channel", "unit", "time_s", "sample", "amplitude_uv", "snr", "window"]
#: Columns of the templates table (one row per unit and time point).
TEMPLATE_COLUMNS = ["channel", "unit", "time_ms", "mean_uv", "sd_uv"]
#: Columns of the search-windows table.
WINDOW_COLUMNS = ["channel", "window", "start_s", "busy_end_s", "end_s", "noise_uv"]

#: Pass bands by electrode, Hz (docs: domain reference, signal processing).
BANDS_HZ = EMG_BANDS_HZ
#: Snippet half-length by electrode, s (ours: surface fibre potentials broadened by the tissue
#: last up to ~8 ms; needle fibre potentials 1–3 ms, the sharp phase of a positive wave < 2 ms).
SNIPPET_HALF_S = {"surface": 4.0e-3, "needle": 1.5e-3}
#: Electrodes on which ``DischargeRules.match_overlaps`` applies (ours). Needle: the ±1.5 ms
#: snippet is shorter than a motor-unit potential (5–15 ms), whose later phases then take
#: templates (a tonic unit's 24 spikes became 48), and needle recall fell (0.972 → 0.954 on
#: the tuning family) when every window was matched.
MATCHED_ELECTRODES = ("surface",)
_WIDE_HALF_S = 0.025  # median waveform for durations and mains share: ±25 ms


@dataclass
class Decomposition:
    """Everything :func:`decompose` found.

    Attributes
    ----------
    trains : DataFrame
        One row per unit train, columns :data:`DISCHARGE_COLUMNS` (see
        :func:`detect_discharges`).
    spikes : DataFrame
        One row per sorted spike of a reported unit, columns :data:`SPIKE_TABLE_COLUMNS`:
        ``channel`` (name), ``unit`` (id shared with ``trains``), ``time_s`` (centre of the
        potential, s from the first sample), ``sample`` (index of the alignment sample),
        ``amplitude_uv`` (peak-to-peak, µV), ``snr`` (|peak| / quiet noise SD) and ``window``
        (search-window index).
    templates : DataFrame
        Mean waveform of each unit and its SD across spikes, columns
        :data:`TEMPLATE_COLUMNS`: ``time_ms`` from the potential's centre, ``mean_uv``,
        ``sd_uv``.
    windows : DataFrame
        Columns :data:`WINDOW_COLUMNS`: each search window per channel, where its busy
        stretch ended (``busy_end_s``; ``start_s`` when it starts quiet) and the quiet noise
        SD (µV).
    rules : DischargeRules
        The thresholds used.
    """

    trains: pd.DataFrame
    spikes: pd.DataFrame
    templates: pd.DataFrame
    windows: pd.DataFrame
    rules: DischargeRules = field(default_factory=DischargeRules)


def empty_discharges():
    """Return the zero-row trains table with the columns of :data:`DISCHARGE_COLUMNS`."""
    out = pd.DataFrame({c: pd.Series(dtype=float) for c in DISCHARGE_COLUMNS})
    for col in ("channel", "kind", "rule", "reason"):
        out[col] = out[col].astype(object)
    out["n_spikes"] = out["n_spikes"].astype(int)
    out["unit"] = out["unit"].astype(int)
    return out


def _empty(columns):
    return pd.DataFrame({c: pd.Series(dtype=float) for c in columns})


@verbose
def detect_discharges(emg, *, fs, ch_names=None, search_s=None, electrode="surface",
                      prefiltered=False, rules=None, return_details=False,
                      verbose=None) -> pd.DataFrame | Decomposition:
    """Find discharge trains in EMG, one per unit, and name each one.

    Kinds and rules: docs, domain reference, discharges.

    Parameters
    ----------
    emg : ndarray, shape (n_channels, n_times) or (n_times,)
        EMG in volts (band-passed by ``electrode`` and freed of mains hum here, unless
        ``prefiltered``).
    fs : float
        Sampling rate in Hz (1 kHz surface EMG to 48 kHz needle EMG).
    ch_names : list of str | None
        Channel names; default ``'ch0'``, ``'ch1'``, ...
    search_s : list of (float, float) | None
        Windows ``(start_s, end_s)`` in seconds from the first sample (e.g. from each release
        to the next grip); ``None`` searches the whole signal. Trains never span two windows;
        the noise SD always comes from the whole channel's quiet blocks.
    electrode : {'surface', 'needle'}
        Sets the band (docs: domain reference, signal processing) and the snippet length.
    prefiltered : bool
        True when ``emg`` is already the output of :func:`myoemg.signal.clean_emg`.
    rules : DischargeRules | None
        Every threshold (default :class:`DischargeRules()`).
    return_details : bool
        Return the whole :class:`Decomposition` instead of the trains table.
    verbose : bool | str | int | None
        Log level for this call.

    Returns
    -------
    discharges : DataFrame | Decomposition
        One row per unit train (all kinds), sorted by channel and start, columns
        :data:`DISCHARGE_COLUMNS`: ``channel``; ``start_s``/``end_s`` (first and last
        potential, s); ``duration_s``; ``n_spikes``; ``rate_start_hz``/``rate_end_hz``
        (median of the first / last three instantaneous rates of the unit);
        ``rate_min_hz``/``rate_max_hz``/``rate_median_hz`` (of the rate smoothed by a running
        median of 3); ``amplitude_*_uv`` (peak-to-peak, µV); ``rate_modulation``/
        ``amplitude_modulation`` (``1 - min/max`` of a smooth trend, 0 = flat); ``isi_cv``;
        ``isi_cv2``/``amplitude_cv2`` (local irregularity); ``amplitude_noise_cv2`` (the
        part of ``amplitude_cv2`` that measurement noise alone gives); ``waveform_similarity``;
        ``n_phases``; ``spike_duration_ms``; ``amplitude_start_frac``/``amplitude_end_frac``;
        ``duty_cycle``; ``snr_median``; ``mains_locking``; ``mains_fraction``; ``n_missed``
        (masked or sub-threshold potentials inferred from the intervals); ``kind`` (one of
        :data:`KINDS`); ``score`` (0.5 = borderline, 1 = every criterion met with margin);
        ``unit`` (id, shared with the spikes table); ``rule`` (the rule that decided, or
        ``'none'``) and ``reason`` (the criteria, in words). Zero rows when nothing is found.

    Notes
    -----
    Rates come from one unit's own intervals: the sorter merges two detections of one
    potential (refractory period ``rules.refractory_s``), so no rate exceeds
    1 / ``refractory_s`` (400 Hz, below the Nyquist frequency at ≥ 1 kHz). Rules are tried in
    the order of :data:`myoemg.detect.rules.RULE_ORDER`; see :class:`DischargeRules`.
    """
    dec = decompose(emg, fs=fs, ch_names=ch_names, search_s=search_s, electrode=electrode,
                    prefiltered=prefiltered, rules=rules)
    return dec if return_details else dec.trains


def decompose(emg, *, fs, ch_names=None, search_s=None, electrode="surface", prefiltered=False,
              rules=None) -> Decomposition:
    """Decompose EMG into units and unit trains; see :func:`detect_discharges`.

    Returns
    -------
    decomposition : Decomposition

    Notes
    -----
    Each window is sorted in up to two segments: the busy stretch it may start with and the
    rest. A window from a release may start with the end of the voluntary interference, but
    also with 7–10 concurrent myotonic fibres, whose summed potentials raise every 20 ms block
    as an interference pattern does, for 1–2 s; the lower-quartile test cannot tell them
    apart, and nor can the busy stretch's length (a slow let-go or a tremor stays busy as
    long). So the busy stretch is not skipped but sorted on its own, and the unit-train rules
    decide (the units of an interference are irregular, mixed in amplitude and at voluntary
    rates). It is sorted apart from the thinning rest so that the rest's clusters stay clean
    (ours, tuning family: sorting the whole window as one segment loses a third of the
    recall on surface EMG). A unit's train never spans the two segments.
    """
    fs = validate_fs(fs)
    check_option("electrode", electrode, tuple(BANDS_HZ))
    rules = check_rules(rules)
    arr, _ = as_2d(emg, "emg")
    n_ch, n_times = arr.shape
    ch_names = [f"ch{k}" for k in range(n_ch)] if ch_names is None else list(ch_names)
    if len(ch_names) != n_ch:
        raise ValueError(f"ch_names has {len(ch_names)} names but emg has {n_ch} channels; "
                         "pass one name per row of emg.")
    windows = check_windows(search_s, n_times / fs)
    if not windows or n_times == 0:
        return Decomposition(empty_discharges(), _empty(SPIKE_TABLE_COLUMNS),
                             _empty(TEMPLATE_COLUMNS), _empty(WINDOW_COLUMNS), rules)
    band = BANDS_HZ[electrode]
    x = arr if prefiltered else clean_emg(arr, fs=fs, band_hz=(band[0], min(band[1],
                                                                              0.45 * fs)))
    sigma = np.atleast_1d(quiet_noise_sd(x, fs=fs))
    half = max(3, int(round(SNIPPET_HALF_S[electrode] * fs)))
    match = rules.match_overlaps and electrode in MATCHED_ELECTRODES
    units, win_rows = [], []
    for ch in range(n_ch):
        for k, (a_s, b_s) in enumerate(windows):
            a, b = int(round(a_s * fs)), int(round(b_s * fs))
            xw = x[ch, a:b]
            busy = interference_end(xw, sigma[ch], fs=fs, factor=rules.interference_factor)
            win_rows.append({"channel": ch_names[ch], "window": k, "start_s": a_s,
                             "busy_end_s": (a + busy) / fs, "end_s": b_s,
                             "noise_uv": sigma[ch] * 1e6})
            for s0, s1 in ((0, busy), (busy, xw.size)):
                units += _window_units(xw[s0:s1], a + s0, sigma[ch], fs, half, rules,
                                       ch_names[ch], k, match)
    units = _drop_crosstalk(units, fs)
    return _tables(units, win_rows, fs, rules, n_ch)


def _window_units(xs, offset, sigma, fs, half, rules, channel, window, match_overlaps):
    """Unit trains of one channel's search window (``xs`` starts at sample ``offset``).

    Each unit's spikes are cut into trains at long silences. Trains that fail the
    one-generator rule are pooled and tracked into fibre trains
    (:mod:`myoemg.detect.tracking`); what tracking leaves of a train it took from is a
    remnant (``leftover``), never called myotonic.
    """
    if xs.size < 2 * half + 2:
        return []
    sort = sort_window(xs, sigma, fs=fs, half=half, rules=rules,
                       match_overlaps=match_overlaps)
    pieces = []
    for u in range(sort.templates.shape[0]):
        idx = np.flatnonzero(sort.units == u)
        if idx.size < rules.min_train_spikes:
            continue
        tmpl = sort.templates[u]
        energy = tmpl**2
        centre = float(np.sum(np.arange(tmpl.size) * energy) / max(energy.sum(), 1e-30)) - half
        times = (offset + sort.samples[idx] + centre) / fs
        keep = drop_extra_spikes(times)
        idx, times = idx[keep], times[keep]
        amp = sort.gains[idx] * np.ptp(tmpl)
        snr = np.abs(sort.gains[idx]) * np.abs(tmpl).max() / sigma
        for i0, i1 in split_train(times, rules.max_gap_s, rules.min_train_spikes):
            pieces.append({"times": times[i0:i1], "own": idx[i0:i1], "amp": amp[i0:i1],
                           "snr": snr[i0:i1], "centre": centre})
    trains = _tracked(pieces, sort, rules)
    wide_half = int(round(_WIDE_HALF_S * fs))
    return [{"channel": channel, "window": window, "times": p["times"],
             "samples": offset + sort.samples[p["own"]], "amp": p["amp"], "snr": p["snr"],
             "snippets": sort.snippets[p["own"]], "centre": p["centre"],
             "wide": np.median(snippets_at(xs, sort.samples[p["own"]], wide_half), axis=0),
             "leftover": p.get("leftover", False)} for p in trains]


def _tracked(pieces, sort, rules):
    """The pieces, with those that fail the one-generator rule tracked into fibre trains."""
    pool = [k for k, p in enumerate(pieces)
            if needs_tracking(p["times"], np.abs(p["amp"]), rules, sort.snippets[p["own"]])]
    if not pool:
        return pieces
    cat = {key: np.concatenate([pieces[k][key] for k in pool])
           for key in ("times", "own", "amp", "snr")}
    source = np.concatenate([np.full(pieces[k]["times"].size, k) for k in pool])
    order = np.argsort(cat["times"], kind="stable")
    cat = {key: v[order] for key, v in cat.items()}
    source = source[order]
    labels = track_pool(cat["times"], np.abs(cat["amp"]), sort.snippets[cat["own"]], rules)
    out = [p for k, p in enumerate(pieces) if k not in pool]
    for lab in range(labels.max() + 1):
        own = labels == lab
        main = np.bincount(source[own]).argmax()
        out.append({**{key: v[own] for key, v in cat.items()},
                    "centre": pieces[main]["centre"]})
    for k in pool:
        rest = (source == k) & (labels < 0)
        if rest.sum() >= rules.min_train_spikes:
            out.append({**{key: v[rest] for key, v in cat.items()},
                        "centre": pieces[k]["centre"],
                        "leftover": bool(((source == k) & (labels >= 0)).any())})
    return out


def _drop_crosstalk(units, fs):
    """Keep one copy of a unit seen on two channels at the same instants (the larger one)."""
    if len({u["channel"] for u in units}) < 2:
        return units
    tol = max(1.0e-3, 2.0 / fs)  # ours: the same potential reaches both electrodes together
    pairs = crosstalk_pairs([u["times"] for u in units], [u["channel"] for u in units], tol)
    drop = set()
    for i, j in pairs:
        weak, strong = (i, j) if np.median(units[i]["snr"]) < np.median(units[j]["snr"]) \
            else (j, i)
        drop.add(weak)
        units[strong].setdefault("also_on", set()).add(units[weak]["channel"])
    return [u for k, u in enumerate(units) if k not in drop]


def _tables(units, win_rows, fs, rules, n_ch):
    """Assemble the trains, spikes and templates tables from the unit trains."""
    rows = []
    for uid, u in enumerate(units):
        f = train_features(u["times"], u["amp"], u["snr"], u["snippets"], u["wide"], fs=fs,
                           rules=rules)
        kind, score, rule, reason = classify_train(f, rules)
        if u["leftover"] and kind != "other":  # a remnant of a mixture names no generator
            kind, score, rule = "other", round(1 - score, 3), "none"
            reason = f"spikes left after the interleaved trains were tracked (as {reason})"
        if u.get("also_on"):
            reason += f"; also seen on {', '.join(sorted(u['also_on']))} (cross-talk)"
        f.pop("burst_fraction")
        f.pop("sample_ms")
        rows.append({"channel": u["channel"], **f, "kind": kind, "score": score, "unit": uid,
                     "rule": rule, "reason": reason})
    windows = pd.DataFrame(win_rows, columns=WINDOW_COLUMNS)
    if not rows:
        logger.info("No discharge trains found in %d channel(s).", n_ch)
        return Decomposition(empty_discharges(), _empty(SPIKE_TABLE_COLUMNS),
                             _empty(TEMPLATE_COLUMNS), windows, rules)
    trains = pd.DataFrame(rows)[DISCHARGE_COLUMNS]
    trains = trains.sort_values(["channel", "start_s"], kind="stable").reset_index(drop=True)
    logger.info("Found %d unit train(s) in %d channel(s): %s", len(trains), n_ch,
                trains["kind"].value_counts().to_dict())
    return Decomposition(trains, _spike_table(units), _template_table(units, fs), windows,
                         rules)


def _per_unit(units, n_each):
    """Channel name and unit id of each unit repeated ``n_each[k]`` times (table columns)."""
    channels = np.array([u["channel"] for u in units], dtype=object)
    return np.repeat(channels, n_each), np.repeat(np.arange(len(units)), n_each)


def _spike_table(units):
    """One row per spike of every unit train, columns :data:`SPIKE_TABLE_COLUMNS`."""
    n_each = [u["times"].size for u in units]
    channel, unit = _per_unit(units, n_each)
    return pd.DataFrame({
        "channel": channel, "unit": unit,
        "time_s": np.concatenate([u["times"] for u in units]),
        "sample": np.concatenate([u["samples"] for u in units]),
        "amplitude_uv": np.concatenate([u["amp"] * 1e6 for u in units]),
        "snr": np.concatenate([u["snr"] for u in units]),
        "window": np.repeat([u["window"] for u in units], n_each)})


def _template_table(units, fs):
    """Mean and SD waveform of every unit train, columns :data:`TEMPLATE_COLUMNS`."""
    n_each = [u["snippets"].shape[1] for u in units]
    channel, unit = _per_unit(units, n_each)
    time_ms = [1e3 * (np.arange(n) - n // 2 - u["centre"]) / fs
               for n, u in zip(n_each, units, strict=True)]
    return pd.DataFrame({
        "channel": channel, "unit": unit, "time_ms": np.concatenate(time_ms),
        "mean_uv": np.concatenate([1e6 * u["snippets"].mean(axis=0) for u in units]),
        "sd_uv": np.concatenate([1e6 * u["snippets"].std(axis=0) for u in units])})


__all__ = ["BANDS_HZ", "DISCHARGE_COLUMNS", "KINDS", "SPIKE_TABLE_COLUMNS", "TEMPLATE_COLUMNS",
           "Decomposition", "DischargeRules", "decompose", "detect_discharges",
           "empty_discharges"]
