"""EMG sources of a held-out session: voluntary motor units, myotonic fibres, look-alikes.

Each discharging source is a :class:`Train` (spike times, amplitudes, a potential, a home
channel and cross-talk copies on neighbouring channels) so that truth and rendering come from
the same numbers. Amplitudes are set from a drawn SNR (peak |potential| in the analysis band
over the in-band noise SD of the home channel) and clipped to the physiological range of the
electrode (SPEC.md §5; issue 11): surface 10–300 µV, needle 50 µV–1 mV for fibre potentials.

Written for the held-out family, independently of ``myoemg.sim``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from . import firing, shapes

#: Amplitude range (V) per source and electrode (SPEC.md §5 table, issue 11; ours where open).
AMP_RANGE_V = {
    ("myotonic", "surface"): (10e-6, 300e-6), ("myotonic", "needle"): (50e-6, 1e-3),
    ("crd", "surface"): (30e-6, 300e-6), ("crd", "needle"): (100e-6, 1e-3),
    ("fibrillation", "surface"): (10e-6, 80e-6), ("fibrillation", "needle"): (30e-6, 500e-6),
    ("psw", "surface"): (10e-6, 100e-6), ("psw", "needle"): (50e-6, 600e-6),
    ("neuromyotonic", "surface"): (30e-6, 300e-6), ("neuromyotonic", "needle"): (100e-6, 1e-3),
    ("fasciculation", "surface"): (50e-6, 400e-6), ("fasciculation", "needle"): (200e-6, 2e-3),
    ("voluntary_tremor", "surface"): (20e-6, 250e-6),
    ("voluntary_tremor", "needle"): (100e-6, 1e-3),
}


@dataclass
class Context:
    """Session facts every source needs."""

    electrode: str
    fs: float
    n_channels: int
    n_times: int
    noise_sd_band_v: np.ndarray   # in-band noise SD per channel, V
    sos: np.ndarray               # analysis band-pass (second-order sections)
    rng: np.random.Generator


@dataclass
class Train:
    """One discharging source and its truth."""

    trial: int
    channel: int
    kind: str
    times_s: np.ndarray
    amps_v: np.ndarray
    template: shapes.Template
    crosstalk: list = field(default_factory=list)   # (channel, gain, template)
    rates_hz: tuple = (np.nan, np.nan, np.nan)       # start, max, end rate (from intervals)
    peak_snr: float = np.nan

    def render_into(self, emg, fs):
        """Add this train (and its cross-talk copies) into ``emg`` (n_channels, n_times)."""
        shapes.render(emg[self.channel], self.times_s, self.amps_v, self.template, fs=fs)
        for ch, gain, tpl in self.crosstalk:
            shapes.render(emg[ch], self.times_s, gain * self.amps_v, tpl, fs=fs)


def surface_spread(ctx, tpl, lo_ms=2.0, hi_ms=8.0):
    """Tissue between fibre and skin: spread a potential by 2–8 ms (surface only)."""
    if ctx.electrode != "surface":
        return tpl
    return shapes.tissue_filter(tpl, spread_ms=ctx.rng.uniform(lo_ms, hi_ms))


def fibre_template(ctx, *, positive_wave_p=0.35):
    """Single-fibre potential: biphasic spike of either polarity, or a positive wave."""
    rng = ctx.rng
    if rng.random() < positive_wave_p:
        tpl = shapes.positive_wave(rng, duration_ms=rng.uniform(5, 20))
    else:
        tpl = shapes.fibre_spike(rng, phase_ms=rng.uniform(0.3, 1.0),
                                 polarity=int(rng.choice([-1, 1])))
    return surface_spread(ctx, tpl)


def set_amplitude(ctx, train, envelope, *, snr_range=(3.0, 30.0)):
    """Scale a train so that its largest potential has a drawn in-band SNR; clip to range.

    ``envelope`` (one value per spike, max 1) is the amplitude course; ``train.peak_snr`` is
    the SNR actually obtained (after the clip).
    """
    rng = ctx.rng
    gain, shift = shapes.band_gain(train.template, fs=ctx.fs, sos=ctx.sos)
    # spike times refer to the main extremum in the analysis band (what a detector sees)
    train.template = shapes.shifted(train.template, shift)
    sd = ctx.noise_sd_band_v[train.channel]
    snr = np.exp(rng.uniform(np.log(snr_range[0]), np.log(snr_range[1])))
    lo, hi = AMP_RANGE_V[(train.kind, ctx.electrode)]
    a_max = float(np.clip(snr * sd / gain, lo, hi))
    train.amps_v = a_max * np.asarray(envelope, float)
    train.peak_snr = a_max * gain / sd
    return train


def add_crosstalk(ctx, train):
    """The same source, attenuated (and more spread on the surface), on neighbour channels."""
    rng = ctx.rng
    for ch in (train.channel - 1, train.channel + 1):
        if not 0 <= ch < ctx.n_channels:
            continue
        if ctx.electrode == "surface" and rng.random() < 0.8:
            tpl = shapes.tissue_filter(train.template, spread_ms=rng.uniform(1.0, 3.0))
            train.crosstalk.append((ch, rng.uniform(0.05, 0.4), tpl))
        elif ctx.electrode == "needle" and rng.random() < 0.3:
            train.crosstalk.append((ch, rng.uniform(0.03, 0.15), train.template))
    return train


def myotonic_trains(ctx, tp):
    """The myotonic fibres discharging around one release (issue 11, SPEC.md §5).

    1–10 fibres, each with its own potential, rate and amplitude course and start jitter; the
    longest one lasts the trial's after-activity; they interleave and may overlap.
    """
    rng = ctx.rng
    rel = tp.grip.release_s
    out = []
    longest = int(rng.integers(tp.n_fibres))
    for i in range(tp.n_fibres):
        start = rel + max(tp.start_rel_base_s + rng.uniform(0, 0.15), -0.3)
        end = rel + (tp.after_s if i == longest else tp.after_s * rng.uniform(0.35, 1.0))
        end = max(end, start + 0.25, rel + 0.2)
        course = firing.draw_myotonic_course(rng, start_s=start, end_s=end)
        times = firing.myotonic_times(course, rng)
        env = course.amplitude(times) * rng.lognormal(0, 0.04, times.size)
        env /= env.max()
        tr = Train(tp.trial, int(rng.integers(ctx.n_channels)), "myotonic", times, env,
                   fibre_template(ctx))
        out.append(add_crosstalk(ctx, set_amplitude(ctx, tr, env)))
    return out


def _rest_window(tp, *, after_release_s):
    return tp.grip.release_s + after_release_s, tp.next_onset_s - 0.3


def lookalike_trains(ctx, tp):
    """The look-alike trains after one release (none for 'none' and 'slow_letgo')."""
    rng, kind = ctx.rng, tp.lookalike
    if kind in ("none", "slow_letgo"):
        return []
    rel = tp.grip.release_s
    trains = []
    if kind == "crd":  # identical complexes at a constant 5-100 Hz, abrupt start/stop
        start = rel + rng.uniform(0.1, 1.0)
        end = min(start + rng.uniform(0.5, 4.0), tp.next_onset_s - 0.5)
        rate = rng.uniform(5, 100)
        times = np.arange(start, end, 1 / rate)
        if rng.random() < 0.3:  # abrupt change of rate
            cut = times[times.size // 2]
            times = np.concatenate([times[times < cut],
                                    np.arange(cut, end, 1 / (rate * rng.uniform(0.6, 1.5)))])
        times = times + rng.normal(0, 0.002 / rate, times.size)
        tpl = shapes.complex_potential(rng, n_components=int(rng.integers(3, 9)),
                                       span_ms=rng.uniform(3, 15), phase_ms=rng.uniform(0.3, 0.8))
        trains.append(Train(tp.trial, 0, kind, times, np.ones(times.size),
                            surface_spread(ctx, tpl, 1.5, 4.0)))
    elif kind in ("fibrillation", "psw"):  # regular 0.5-15 Hz, from 1-3 fibres
        for _ in range(int(rng.integers(1, 4))):
            start, end = _rest_window(tp, after_release_s=rng.uniform(0.2, 0.6))
            rate = rng.uniform(0.5, 15)
            times = firing.rescaled_times(np.full(int((end - start) / firing.RATE_DT_S), rate),
                                          t0_s=start, cv=rng.uniform(0.02, 0.1), rng=rng)
            tpl = (shapes.fibre_spike(rng, phase_ms=rng.uniform(0.4, 1.2), polarity=1)
                   if kind == "fibrillation"
                   else shapes.positive_wave(rng, duration_ms=rng.uniform(5, 15)))
            trains.append(Train(tp.trial, 0, kind, times, np.ones(times.size),
                                surface_spread(ctx, tpl)))
    elif kind == "neuromyotonic":
        trains.append(_neuromyotonic(ctx, tp))
    elif kind == "fasciculation":  # isolated MUAPs at irregular low rates
        for _ in range(int(rng.integers(1, 4))):
            start, end = _rest_window(tp, after_release_s=rng.uniform(0.2, 0.6))
            rate = rng.uniform(0.3, 3.0)
            times = firing.rescaled_times(np.full(int((end - start) / firing.RATE_DT_S), rate),
                                          t0_s=start, cv=rng.uniform(0.6, 1.0), rng=rng)
            tpl = shapes.muap(rng, duration_ms=rng.uniform(5, 15), needle=ctx.electrode == "needle")
            trains.append(Train(tp.trial, 0, kind, times, np.ones(times.size),
                                surface_spread(ctx, tpl, 2.0, 5.0)))
    elif kind == "voluntary_tremor":  # units grouped by an 8-12 Hz tremor after the grip
        hz = rng.uniform(8, 12)
        start = rel + rng.uniform(0.1, 0.5)
        end = min(start + rng.uniform(0.5, 3.0), tp.next_onset_s - 0.5)
        for _ in range(int(rng.integers(2, 7))):
            times = firing.tremor_grouped_times(rng, start_s=start, end_s=end, tremor_hz=hz,
                                                p_fire=rng.uniform(0.6, 0.95),
                                                jitter_s=rng.uniform(0.005, 0.012))
            tpl = shapes.muap(rng, duration_ms=rng.uniform(5, 12), needle=ctx.electrode == "needle")
            trains.append(Train(tp.trial, 0, kind, times, np.ones(times.size),
                                surface_spread(ctx, tpl, 2.0, 5.0)))
    for tr in trains:
        tr.channel = int(rng.integers(ctx.n_channels))
        keep = (tr.times_s > 0) & (tr.times_s < ctx.n_times / ctx.fs)
        tr.times_s, env = tr.times_s[keep], tr.amps_v[keep]
        set_amplitude(ctx, tr, env, snr_range=(4.0, 30.0))
        add_crosstalk(ctx, tr)
    return [tr for tr in trains if tr.times_s.size]


def _neuromyotonic(ctx, tp):
    """Neuromyotonic discharge: one motor unit at 150–300 Hz, multiplets or a waning burst."""
    rng = ctx.rng
    start = tp.grip.release_s + rng.uniform(0.1, 0.8)
    end = min(start + rng.uniform(0.5, 3.0), tp.next_onset_s - 0.5)
    intra = rng.uniform(150, 300)
    if rng.random() < 0.5:  # multiplets recurring at 1-5 Hz
        times = firing.burst_times(rng, start_s=start, end_s=end, intra_hz=intra,
                                   n_per_burst=(2, 10), burst_hz=rng.uniform(1, 5))
        env = np.ones(times.size)
    else:  # one burst of 0.2-2 s, waning amplitude, abrupt stop
        end = min(end, start + rng.uniform(0.2, 2.0))
        times = np.arange(start, end, 1 / intra)
        times = times + rng.normal(0, 0.02 / intra, times.size)
        env = np.linspace(1.0, rng.uniform(0.3, 0.7), times.size)
    tpl = shapes.muap(rng, duration_ms=rng.uniform(3, 6), needle=ctx.electrode == "needle")
    return Train(tp.trial, 0, "neuromyotonic", times, env, surface_spread(ctx, tpl, 1.0, 3.0))
