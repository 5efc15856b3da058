"""One trial: force with its 90/50/5 % levels and crossings, EMG below with discharges."""

from __future__ import annotations

import numpy as np

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEVEL_COLORS = {90: "#1f4e99", 50: "#4c9a2a", 5: "#d17a00"}
KIND_COLORS = {"myotonic": "#d62728"}
OTHER_COLOR = "#9e9e9e"


def _plain(text):
    """Text shown as typed: a '$' in a channel name must not start matplotlib mathtext."""
    return str(text).replace("$", r"\$")


def plot_trial(recording, trials, discharges, k, *, axes=None, pad_s=1.0,
               zoom_after_release=True) -> Figure:
    """Plot trial ``k``: force, levels and crossings on top, each EMG channel below.

    Parameters
    ----------
    recording : Recording
        The analysed recording (force in N, EMG in V).
    trials : DataFrame
        ``Analysis.trials`` (``onset_s``, ``release_s``, ``t90_s``, ``t50_s``, ``t5_s``,
        ``window_end_s``, ``baseline_n``, ``peak_force_n``, ``relaxed``).
    discharges : DataFrame | None
        ``Analysis.discharges`` (``channel``, ``start_s``, ``end_s``, ``kind``); shaded on the
        EMG, myotonic in red, other kinds in grey.
    k : int
        Trial number (1-based).
    axes : sequence of matplotlib Axes | None
        1 + number of EMG channels axes; None makes a new figure with a shared time axis.
    pad_s : float
        Seconds shown before the onset and after the end of relaxation.
    zoom_after_release : bool
        Scale the EMG axes to the activity after release (the contraction is clipped), so
        discharges an order of magnitude smaller than the voluntary EMG are visible.

    Returns
    -------
    fig : matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    rows = trials[trials["trial"] == k]
    if rows.empty:
        raise ValueError(f"no trial {k}; trials are {trials['trial'].tolist()}.")
    tr = rows.iloc[0]
    emg = recording.emg
    force = recording.force
    n_ax = 1 + len(emg)
    if axes is None:
        fig, axes = plt.subplots(n_ax, 1, sharex=True, figsize=(8.0, 2.2 + 1.3 * len(emg)),
                                 height_ratios=[2.0] + [1.0] * len(emg), squeeze=False)
        # fixed margins: constrained layout costs about a second per figure
        fig.subplots_adjust(left=0.11, right=0.98, top=1 - 0.35 / fig.get_figheight(),
                            bottom=0.5 / fig.get_figheight(), hspace=0.12)
        axes = axes[:, 0]
    else:
        axes = list(np.atleast_1d(axes))
        if len(axes) != n_ax:
            raise ValueError(f"plot_trial needs {n_ax} axes (force + {len(emg)} EMG), got "
                             f"{len(axes)}.")
        fig = axes[0].figure
    end = tr["t5_s"] if tr["relaxed"] else tr["window_end_s"]
    t0 = tr["onset_s"] - pad_s
    t1 = min(end + pad_s, tr["window_end_s"]) if np.isfinite(end) else tr["window_end_s"]

    ax = axes[0]
    if force is not None:
        t = force.times
        sel = (t >= t0) & (t <= t1)
        ax.plot(t[sel], force.data[sel], color="k", lw=1, label="force")
        base, peak = tr["baseline_n"], tr["peak_force_n"]
        for pct, col in (("90", "t90_s"), ("50", "t50_s"), ("5", "t5_s")):
            level = base + int(pct) / 100 * peak
            color = LEVEL_COLORS[int(pct)]
            ax.axhline(level, color=color, ls=":", lw=1)
            ax.text(t0, level, f" {pct} %", color=color, va="bottom", fontsize="small")
            if np.isfinite(tr[col]):
                ax.plot([tr[col]], [level], "o", color=color, ms=6)
                ax.axvline(tr[col], color=color, lw=0.8, alpha=0.6)
        if np.isfinite(tr["release_s"]):
            ax.axvline(tr["release_s"], color="k", ls="--", lw=0.8, alpha=0.6)
        rt = tr["rt90_5_s"]
        title = (f"trial {k}: RT90-5 {rt:.2f} s, peak force {peak:.0f} N" if tr["relaxed"]
                 else f"trial {k}: did not relax within the window, peak force {peak:.0f} N")
        ax.set_title(title)
        ax.set_ylabel("force (N)")
    for ax_e, ch in zip(axes[1:], emg, strict=True):
        t = ch.times
        sel = (t >= t0) & (t <= t1)
        x = ch.data[sel]
        y = 1e6 * (x - np.median(x)) if x.size else x
        ax_e.plot(t[sel], y, color="#333333", lw=0.4)
        # Zoom on the activity after release (discharges are ~10x smaller than the voluntary
        # EMG); the contraction is clipped at the top and bottom of the axis.
        after = t[sel] > tr["release_s"] + 0.1
        if zoom_after_release and after.sum() > 10:
            lim = 1.3 * float(np.max(np.abs(y[after])))
            if lim > 0:
                ax_e.set_ylim(-lim, lim)
        if discharges is not None and len(discharges):
            mine = discharges[(discharges["channel"] == ch.name)
                              & (discharges["end_s"] >= t0) & (discharges["start_s"] <= t1)]
            for d in mine.itertuples(index=False):
                ax_e.axvspan(d.start_s, d.end_s, color=KIND_COLORS.get(d.kind, OTHER_COLOR),
                             alpha=0.25 if d.kind == "myotonic" else 0.15, lw=0)
        if np.isfinite(tr["release_s"]):
            ax_e.axvline(tr["release_s"], color="k", ls="--", lw=0.8, alpha=0.6)
        ax_e.set_ylabel(f"{_plain(ch.name)}\n(µV)", fontsize="small")
    axes[-1].set_xlabel("time (s)")
    axes[-1].set_xlim(t0, t1)
    return fig
