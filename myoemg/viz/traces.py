"""What the report's figures draw, as typed inputs: traces, trains and units (no drawing here)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

#: Colours of the discharge kinds (myotonic red, look-alikes in muted tones).
KIND_COLORS = {"myotonic": "#c62828", "voluntary": "#1565c0", "fibrillation": "#6a1b9a",
               "crd": "#ef6c00", "neuromyotonic": "#00838f", "fasciculation": "#5d4037",
               "artefact": "#757575", "other": "#9e9e9e"}
#: Colours of the 90 / 50 / 5 % levels.
LEVEL_COLORS = {90: "#1f4e99", 50: "#4c9a2a", 5: "#d17a00"}
#: Colour of the after-activity span and of marks of clipped EMG.
AFTER_COLOR = "#f2a33a"
CLIP_COLOR = "#d81b60"


def kind_color(kind):
    """Colour of a discharge kind (grey for an unknown kind)."""
    return KIND_COLORS.get(str(kind), KIND_COLORS["other"])


@dataclass(frozen=True)
class EmgTrace:
    """One EMG channel of a time window, decimated for display.

    Attributes
    ----------
    name : str
        Channel name (shown in full).
    t : ndarray, shape (n,)
        Bin centres, s.
    lo, hi : ndarray, shape (n,)
        Minimum and maximum of the filtered EMG in each bin, µV.
    limit_uv : float
        Half-range of the y axis, µV (values beyond it are clipped and marked).
    peak_uv : float
        Largest ``|EMG|`` in the window, µV.
    """

    name: str
    t: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    limit_uv: float
    peak_uv: float


@dataclass(frozen=True)
class ForceTrace:
    """The force of a time window (decimated) with its levels.

    Attributes
    ----------
    t, lo, hi : ndarray, shape (n,)
        Bin centres (s) and per-bin min / max of the force.
    unit : str
        'N' or 'a.u.' (never N for uncalibrated force).
    baseline, reference : float
        Baseline and the reference level above it that 90 / 50 / 5 % refer to.
    """

    t: np.ndarray
    lo: np.ndarray
    hi: np.ndarray
    unit: str
    baseline: float
    reference: float


@dataclass(frozen=True)
class Train:
    """One unit train as the figures show it.

    Attributes
    ----------
    channel : str
    unit : str
        Unit label ('u3', or '–' when the detector gave no id).
    kind : str
    start_s, end_s : float
        First and last potential, s (recording time).
    spike_times_s : ndarray
        Spike times of the unit, s.
    amplitudes_uv : ndarray
        Peak-to-peak amplitude of each spike, µV.
    template : tuple | None
        ``(time_ms, mean_uv, sd_uv)`` of the unit's potential, or None.
    spikes_source : str
        Where the spikes come from ('sorted by the detector' or 're-detected for display').
    """

    channel: str
    unit: str
    kind: str
    start_s: float
    end_s: float
    spike_times_s: np.ndarray = field(default_factory=lambda: np.zeros(0))
    amplitudes_uv: np.ndarray = field(default_factory=lambda: np.zeros(0))
    template: tuple | None = None
    spikes_source: str = "sorted by the detector"

    def rates(self):
        """(midpoint times s, instantaneous rate Hz) from successive intervals."""
        t = np.asarray(self.spike_times_s, float)
        if t.size < 2:
            return np.zeros(0), np.zeros(0)
        isi = np.diff(t)
        ok = isi > 0
        return (0.5 * (t[1:] + t[:-1]))[ok], 1.0 / isi[ok]


def interleave(t, lo, hi):
    """A polyline through each bin's min and max: (t, y) of length 2n."""
    t = np.repeat(np.asarray(t, float), 2)
    y = np.column_stack([lo, hi]).ravel()
    return t, y


def sequential_color(i, n):
    """Colour ``i`` of ``n`` along a dark-blue → yellow scale (viridis anchors)."""
    anchors = np.array([[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98],
                        [253, 231, 37]], float)
    f = 0.0 if n <= 1 else i / (n - 1)
    f *= 0.9  # the last anchor is too light on white paper
    pos = f * (len(anchors) - 1)
    j = min(int(pos), len(anchors) - 2)
    rgb = anchors[j] + (pos - j) * (anchors[j + 1] - anchors[j])
    return "#{:02x}{:02x}{:02x}".format(*np.round(rgb).astype(int))


__all__ = ["AFTER_COLOR", "CLIP_COLOR", "KIND_COLORS", "LEVEL_COLORS", "EmgTrace", "ForceTrace",
           "Train", "interleave", "kind_color", "sequential_color"]
