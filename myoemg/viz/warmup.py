"""Warm-up plot: relaxation times and peak force against trial number."""

from __future__ import annotations

import numpy as np

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads it)
if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: Colours of the three relaxation measures and of peak force.
COLORS = {"rt90_5_s": "#1f4e99", "rt90_50_s": "#4c9a2a", "rt50_5_s": "#d17a00",
          "peak_force_n": "#666666"}
LABELS = {"rt90_5_s": "RT90-5", "rt90_50_s": "RT90-50", "rt50_5_s": "RT50-5"}


def plot_warmup(trials, *, uln_s=None, ax=None, show_force=True) -> Figure:
    """Plot RT90-5, RT90-50, RT50-5 (and peak force) against trial number.

    Parameters
    ----------
    trials : DataFrame
        ``Analysis.trials``: ``trial``, ``rt90_5_s``, ``rt90_50_s``, ``rt50_5_s`` (s),
        ``peak_force_n`` (N), ``relaxed``, ``t90_s`` and ``window_end_s`` (s).
    uln_s : float | None
        Upper limit of normal of RT90-5 in seconds; the range 0–ULN is shaded as 'normal'.
    ax : matplotlib Axes | None
        Where to draw; None makes a new figure.
    show_force : bool
        Peak force on a second y axis (N).

    Returns
    -------
    fig : matplotlib.figure.Figure

    Notes
    -----
    A trial that did not relax is drawn as an open up-pointing triangle at the time it was
    followed for (its RT90-5 is at least that long).
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(9.0, 3.8))
        fig.subplots_adjust(left=0.07, right=0.66, top=0.91, bottom=0.13)
    else:
        fig = ax.figure
    k = trials["trial"].to_numpy(int)
    if uln_s is not None and np.isfinite(uln_s):
        ax.axhspan(0, uln_s, color="#2a9d8f", alpha=0.12, lw=0,
                   label=f"RT90-5 normal range (ULN {uln_s:.2f} s)")
    for col, label in LABELS.items():
        if col in trials:
            ax.plot(k, trials[col].to_numpy(float), "o-", color=COLORS[col], label=label,
                    lw=2 if col == "rt90_5_s" else 1.2, ms=6 if col == "rt90_5_s" else 4)
    if {"relaxed", "t90_s", "window_end_s"} <= set(trials.columns):
        cens = ~trials["relaxed"].to_numpy(bool)
        if cens.any():
            bound = (trials["window_end_s"] - trials["t90_s"]).to_numpy(float)
            ax.plot(k[cens], bound[cens], "^", mfc="none", mec=COLORS["rt90_5_s"], ms=9,
                    label="did not relax (RT90-5 at least)")
    ax.set_xlabel("trial")
    ax.set_ylabel("relaxation time (s)")
    ax.set_ylim(bottom=0)
    if k.size:
        ax.set_xticks(k)
    handles, labels = ax.get_legend_handles_labels()
    if show_force and "peak_force_n" in trials and len(trials):
        ax2 = ax.twinx()
        ax2.plot(k, trials["peak_force_n"].to_numpy(float), "s--", color=COLORS["peak_force_n"],
                 ms=4, lw=1, label="peak force")
        ax2.set_ylabel("peak force (N)")
        ax2.set_ylim(bottom=0, top=1.15 * max(float(trials["peak_force_n"].max()), 1e-9))
        h2, l2 = ax2.get_legend_handles_labels()
        handles, labels = handles + h2, labels + l2
    # legend outside the data, to the right of the force axis
    ax.legend(handles, labels, fontsize="small", loc="upper left", bbox_to_anchor=(1.13, 1.0),
              framealpha=0.9)
    ax.set_title("Relaxation time across trials")
    return fig
