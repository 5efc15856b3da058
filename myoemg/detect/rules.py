"""The stated rules that name a unit train's kind, as one frozen dataclass.

Kinds and their published criteria: docs, domain reference, discharges.

:class:`DischargeRules` holds every threshold of the detector, each citing its source or marked
"ours" with the reason; it is passed whole (``detect_discharges(..., rules=DischargeRules(
min_rate_modulation=0.3))``). :func:`classify_train` applies the kind rules to the features of
one unit's train (:func:`myoemg.detect.features.train_features`) and says which rule decided
and why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

import numpy as np

from .features import excess_cv2

#: Kinds a train can be given (docs: domain reference, discharges plus 'fasciculation', 'artefact'
#: and 'other').
KINDS = ("myotonic", "voluntary", "fibrillation", "crd", "neuromyotonic", "fasciculation",
         "artefact", "other")


@dataclass(frozen=True)
class DischargeRules:
    """Every threshold of the discharge detector (spikes, sorting, trains and kinds).

    Detection and sorting
    ---------------------
    threshold : float
        Spike threshold in noise SDs of the quiet signal (Quiroga et al. 2004 use 4–5; ours 4).
    interference_factor : float
        A 20 ms block whose lower-quartile level exceeds this × the quiet noise SD is busy (an
        interference pattern: voluntary, or many concurrent myotonic fibres); the first run of
        such blocks in a window is sorted apart from the rest (ours: 3, a dense interference
        pattern raises every sample, a train of brief potentials leaves the lower quartile
        near the noise).
    max_units : int
        Most units the Gaussian mixture may use in one search window (ours: 12, above the
        "few" concurrent fibres of docs: domain reference, discharges).
    min_corr : float
        Least correlation of a spike with its unit's template to belong to it (ours: 0.6).
    peel_min_corr : float
        Least correlation of a template with the residual under it (all sorted templates
        subtracted) to be placed there as a masked spike (ours: 0.8; stricter than
        ``min_corr``, since imperfect subtraction leaves template-like remnants).
    match_overlaps : bool
        Find the spikes other units masked by matching pursuit over the residual
        (:mod:`myoemg.detect.matching`) rather than at the residual's peaks, on surface EMG
        (ours: off). It finds potentials whose peak a larger one hides: on the tuning family
        recall 0.911 → 0.933 (surface 0.817 → 0.873) with 2 false calls instead of 1, on the
        held-back family 0.892 → 0.916 with one false call instead of none — on a slow
        voluntary let-go, a look-alike that must stay at zero. So it stays off until that
        is told apart.
    match_threshold : float
        Least peak of a spike placed by template matching over the residual, in noise SDs
        (ours: 5, above the 4 of a detected spike, since a placement is fitted wherever a
        template fits best rather than found at a peak. At 4, tuning recall was 0.939
        against 0.933, but a slow voluntary let-go's pooled motor units chained into a train
        called myotonic, in a simulated session).
    match_min_gain : float
        Least gain of such a placement as a fraction of its unit's median gain (ours: 0.5;
        a fibre's amplitude changes smoothly, and a template placed at under half its unit's
        size is more often a smaller potential that resembles it — surface fibre potentials
        look alike. Without it, tuning recall was 0.927 against 0.933, at the same precision).
    merge_corr : float
        Templates (best shift) correlated at least this much are one unit when their spikes
        do not interleave (ours: 0.92).
    merge_corr_interleaved : float
        Templates correlated at least this much (but less than ``merge_corr``) are one unit
        when their spikes interleave into a markedly more regular train (ours: 0.7; one
        potential aligned on different phases at a coarse sampling rate splits a fibre into
        two clusters that each skip every other spike).
    refractory_s : float
        Shortest interval within one unit, s (ours: 2.5 ms, below the 3.3 ms of 300 Hz,
        docs: domain reference, discharges); two detections closer than this are one potential.

    Trains
    ------
    min_train_spikes : int
        Fewest spikes for a unit train to be reported (ours: 3, so a few fasciculations are).
    max_gap_s : float
        A unit's train is cut at a longer silence, s (ours: 5 s; fasciculations recur at
        intervals of seconds).

    Kinds (docs: domain reference, discharges table; numbers marked ours where the table gives none)
    ------------------------------------------------------------------------
    myotonic_rate_hz : (float, float)
        Median rate of a myotonic train, Hz (docs: domain reference, discharges: 20–80 Hz AANEM,
        wider elsewhere; product range 20–150 Hz).
    myotonic_min_spikes : int
        Fewest spikes of a myotonic call (ours: 10; waxing and waning must be measurable).
    min_rate_modulation, min_amplitude_modulation : float
        Least ``1 - min/max`` of the smooth rate and amplitude trends (docs: domain reference,
        discharges: both wax and wane, no least size given; ours: 0.2 for the rate, 0.1 for
        the amplitude, since a fibre whose potentials wane by only 10–25 % while its rate
        falls is still myotonic; 0.2 missed most such fibres of a renderer written apart from
        :mod:`myoemg.sim`, ``benchmarks/stress_renderer.py``).
    myotonic_max_isi_cv2, myotonic_max_amplitude_cv2 : float
        Most local irregularity of intervals and amplitudes of one generator (ours: 0.2, 0.3).
        The amplitudes' irregularity is counted beyond what measurement noise explains
        (``amplitude_noise_cv2``, removed in quadrature): in a dense window the potentials of
        fibres that were never detected scatter a unit's measured amplitudes while its
        intervals stay regular (ours).
    long_potential_ms, long_potential_max_amplitude_cv2 : float
        Potentials this long (ours: 8 ms) are positive waves of one fibre or motor-unit
        potentials (docs: domain reference, discharges: fibre spikes < 5 ms, positive waves 5–20 ms,
        motor-unit potentials 5–15 ms); one fibre's amplitudes change smoothly, while a train pieced
        together from the units of a fading interference jumps between their sizes, so such trains
        are one generator only with amplitude CV2 ≤ 0.2 (ours). The duration is counted in whole
        samples, so "this long" means at least one sample interval more than ``long_potential_ms``
        (a 1 kHz recording cannot tell 8 from 9 ms; at 1–1.25 kHz broadened surface fibre potentials
        measure 7–8 ms, ours, from the simulator).
    min_similarity : float
        Least median correlation of the potentials with the median waveform (ours: 0.7;
        "single muscle-fibre potentials", docs: domain reference, discharges).
    max_potential_ms : float
        Longest potential of any discharge (docs: domain reference, discharges: positive waves up to
        20 ms).
    voluntary_rate_hz : (float, float)
        Rate of a voluntary unit, Hz (docs: domain reference, discharges: ~5–20 Hz; widened to 4–30
        Hz, ours).
    voluntary_max_isi_cv2 : float
        Most local irregularity of a voluntary unit (docs: domain reference, discharges "fairly
        regular"; ours 0.45).
    voluntary_min_potential_ms : float
        A train at voluntary rates of potentials at least this long is voluntary however
        irregular (units grouped by a tremor, derecruiting units of a slow let-go): motor-unit
        potentials last 5–15 ms (docs: domain reference, discharges).
    fibrillation_rate_hz : (float, float)
        Rate of fibrillations / positive sharp waves, Hz (docs: domain reference, discharges: 0.5–15
        Hz).
    fibrillation_max_isi_cv2 : float
        Most irregularity of fibrillations (docs: domain reference, discharges "regular"; ours
        0.08).
    fibrillation_max_phases : int
        Most phases of their median potential (ours: 3; a polyphasic complex is a CRD).
    crd_rate_hz : (float, float)
        Rate of a CRD, Hz (docs: domain reference, discharges: 5–100 Hz, one source 5–150 Hz).
    crd_max_isi_cv2, crd_max_modulation, crd_min_similarity, crd_min_edge_frac : float
        "Uniform rate and shape; abrupt onset, cessation" (docs: domain reference, discharges; ours
        0.05, 0.15, 0.9, 0.5).
    neuromyotonic_rate_hz : (float, float)
        Rate within a neuromyotonic burst, Hz (docs: domain reference, discharges: 150–300 Hz).
    min_burst_fraction : float
        Least share of intervals at neuromyotonic rates for a train of multiplets (doublets,
        triplets...) to be neuromyotonic (ours: 0.4).
    multiplet_min_isi_cv : float
        Least interval CV of such a train: short bursts between long pauses (ours: 1; a
        waning myotonic train stays below 0.6).
    fasciculation_max_rate_hz : float
        Highest median rate of fasciculations: isolated motor-unit potentials at irregular,
        low rates (not in the docs: domain reference, discharges table; ours: 4 Hz, below voluntary
        firing).
    fasciculation_min_isi_cv : float
        Least interval CV of fasciculations (ours: 0.3; fibrillations are regular).
    min_mains_locking, strict_mains_locking, min_mains_fraction : float
        Mains residue (docs: domain reference, signal processing): locking of spike times to the
        50/60 Hz cycle and the share of mains harmonics in the median waveform (ours: 0.7, 0.9,
        0.7).
    hum_mains_fraction : float
        A median waveform over ± one mains cycle explained this well by 50/60 Hz harmonics is
        hum whatever the spike timing (ours: 0.95; hum switched on by a moving cable is sorted
        into several "units" whose phase locking alone is partial).
    soft_margin : float
        Width of each criterion's soft margin as a fraction of its threshold; the score is the
        smallest membership of the chosen kind (0.5 at a threshold, 1 a margin beyond it;
        ours: 0.5, so a call near any threshold scores visibly below 1).
    """

    threshold: float = 4.0
    interference_factor: float = 3.0
    max_units: int = 12
    min_corr: float = 0.6
    peel_min_corr: float = 0.8
    match_overlaps: bool = False
    match_threshold: float = 5.0
    match_min_gain: float = 0.5
    merge_corr: float = 0.92
    merge_corr_interleaved: float = 0.7
    refractory_s: float = 2.5e-3
    min_train_spikes: int = 3
    max_gap_s: float = 5.0
    myotonic_rate_hz: tuple = (20.0, 150.0)
    myotonic_min_spikes: int = 10
    min_rate_modulation: float = 0.2
    min_amplitude_modulation: float = 0.1
    myotonic_max_isi_cv2: float = 0.2
    myotonic_max_amplitude_cv2: float = 0.3
    long_potential_ms: float = 8.0
    long_potential_max_amplitude_cv2: float = 0.2
    min_similarity: float = 0.7
    max_potential_ms: float = 20.0
    voluntary_rate_hz: tuple = (4.0, 30.0)
    voluntary_max_isi_cv2: float = 0.45
    voluntary_min_potential_ms: float = 5.0
    fibrillation_rate_hz: tuple = (0.5, 15.0)
    fibrillation_max_isi_cv2: float = 0.08
    fibrillation_max_phases: int = 3
    crd_rate_hz: tuple = (5.0, 150.0)
    crd_max_isi_cv2: float = 0.05
    crd_max_modulation: float = 0.15
    crd_min_similarity: float = 0.9
    crd_min_edge_frac: float = 0.5
    neuromyotonic_rate_hz: tuple = (150.0, 300.0)
    min_burst_fraction: float = 0.4
    multiplet_min_isi_cv: float = 1.0
    fasciculation_max_rate_hz: float = 4.0
    fasciculation_min_isi_cv: float = 0.3
    min_mains_locking: float = 0.7
    strict_mains_locking: float = 0.9
    min_mains_fraction: float = 0.7
    hum_mains_fraction: float = 0.95
    soft_margin: float = 0.5

    def changed(self) -> dict:
        """The fields that differ from the defaults, by name (for provenance)."""
        default = DischargeRules()
        return {f.name: getattr(self, f.name) for f in fields(self)
                if getattr(self, f.name) != getattr(default, f.name)}



def check_rules(rules, name="rules"):
    """``rules``, or the default ``DischargeRules()`` for None; TypeError for anything else."""
    if rules is None:
        return DischargeRules()
    if not isinstance(rules, DischargeRules):
        raise TypeError(f"{name} must be a myoemg.detect.DischargeRules, got "
                        f"{type(rules).__name__}; build one with DischargeRules(name=value, "
                        "...).")
    return rules

def _above(v, thr, margin):
    """Soft membership of ``v ≥ thr``: 0.5 at thr, 1 at thr·(1 + margin), 0 at thr·(1 − margin)."""
    width = max(abs(thr) * margin, 1e-12)
    # scalars: Python's min/max, not np.clip (2 400 calls per 10-minute session)
    return min(max(0.5 + 0.5 * float(v - thr) / width, 0.0), 1.0) if math.isfinite(v) else 0.0


def _below(v, thr, margin):
    width = max(abs(thr) * margin, 1e-12)
    return min(max(0.5 - 0.5 * float(v - thr) / width, 0.0), 1.0) if math.isfinite(v) else 0.0


def _between(v, lo_hi, margin):
    lo, hi = lo_hi
    return min(_above(v, lo, margin), _below(v, hi, margin))


def _criteria(f, r):
    """Per kind, the named criteria and their soft memberships (see :class:`DischargeRules`)."""
    m = r.soft_margin
    rate = f["rate_median_hz"]
    many = (f"≥ {r.myotonic_min_spikes} spikes",
            _above(f["n_spikes"], r.myotonic_min_spikes - 0.5, 0.1))
    similar = (f"similar potentials (r {f['waveform_similarity']:.2f} ≥ {r.min_similarity})",
               _above(f["waveform_similarity"], r.min_similarity, m))
    long = f["spike_duration_ms"] >= r.long_potential_ms + f.get("sample_ms", 0.0)
    amp_limit = r.long_potential_max_amplitude_cv2 if long else r.myotonic_max_amplitude_cv2
    amp_cv2 = excess_cv2(f["amplitude_cv2"], f.get("amplitude_noise_cv2", 0.0))
    regular = (f"one generator (ISI CV2 {f['isi_cv2']:.2f} ≤ {r.myotonic_max_isi_cv2}, "
               f"amplitude CV2 {amp_cv2:.2f} ≤ {amp_limit} beyond measurement noise)",
               min(_below(f["isi_cv2"], r.myotonic_max_isi_cv2, m),
                   _below(amp_cv2, amp_limit, m)))
    locked = min(_above(f["mains_locking"], r.min_mains_locking, 0.1),
                 _above(f["mains_fraction"], r.min_mains_fraction, 0.1))
    drifting = min(_above(f["mains_locking"], r.strict_mains_locking, 0.05),
                   _above(f["rate_modulation"], r.min_rate_modulation, m))
    return {
        "artefact": [("potentials or mains residue: duration "
                      f"{f['spike_duration_ms']:.1f} ms > {r.max_potential_ms} ms, or locked "
                      f"to the mains cycle ({f['mains_locking']:.2f})",
                      max(_above(f["spike_duration_ms"], r.max_potential_ms, 0.25),
                          min(_above(f["n_spikes"], 9.5, 0.1), max(locked, drifting)),
                          _above(f["mains_fraction"], r.hum_mains_fraction, 0.02)))],
        "neuromyotonic": [(f"rate {rate:.0f} Hz in {r.neuromyotonic_rate_hz} Hz from one "
                           f"generator, or multiplets ({f['burst_fraction']:.0%} of intervals "
                           "at those rates, between long pauses)",
                           max(min(_between(rate, r.neuromyotonic_rate_hz, 0.1), regular[1]),
                               min(_above(f["burst_fraction"], r.min_burst_fraction, 0.25),
                                   _above(f["isi_cv"], r.multiplet_min_isi_cv, 0.25)))),
                          many, similar],
        "myotonic": [(f"rate {rate:.0f} Hz in {r.myotonic_rate_hz} Hz",
                      _between(rate, r.myotonic_rate_hz, 0.1)), many,
                     (f"rate waxes and wanes ({f['rate_modulation']:.2f} ≥ "
                      f"{r.min_rate_modulation})",
                      _above(f["rate_modulation"], r.min_rate_modulation, m)),
                     (f"amplitude waxes and wanes ({f['amplitude_modulation']:.2f} ≥ "
                      f"{r.min_amplitude_modulation})",
                      _above(f["amplitude_modulation"], r.min_amplitude_modulation, m)),
                     regular, similar,
                     (f"potentials ≤ {r.max_potential_ms} ms",
                      _below(f["spike_duration_ms"], r.max_potential_ms, m))],
        "fibrillation": [(f"rate {rate:.1f} Hz in {r.fibrillation_rate_hz} Hz",
                          _between(rate, r.fibrillation_rate_hz, 0.1)),
                         (f"regular (ISI CV2 {f['isi_cv2']:.3f} ≤ {r.fibrillation_max_isi_cv2})",
                          _below(f["isi_cv2"], r.fibrillation_max_isi_cv2, m)),
                         (f"simple potentials ({f['n_phases']} ≤ {r.fibrillation_max_phases} "
                          "phases)", _below(f["n_phases"], r.fibrillation_max_phases + 0.5, 0.1))],
        "crd": [(f"rate {rate:.0f} Hz in {r.crd_rate_hz} Hz", _between(rate, r.crd_rate_hz, 0.1)),
                (f"uniform rate (ISI CV2 {f['isi_cv2']:.3f} ≤ {r.crd_max_isi_cv2})",
                 _below(f["isi_cv2"], r.crd_max_isi_cv2, m)),
                ("no waxing or waning", _below(max(f["rate_modulation"],
                                                   f["amplitude_modulation"]),
                                               r.crd_max_modulation, m)),
                (f"uniform shape (r {f['waveform_similarity']:.2f})",
                 _above(f["waveform_similarity"], r.crd_min_similarity, 0.05)),
                ("abrupt onset and cessation", _above(min(f["amplitude_start_frac"],
                                                          f["amplitude_end_frac"]),
                                                      r.crd_min_edge_frac, m))],
        "voluntary": [(f"rate {rate:.1f} Hz in {r.voluntary_rate_hz} Hz",
                       _between(rate, r.voluntary_rate_hz, 0.1)),
                      (f"fairly regular (ISI CV2 {f['isi_cv2']:.2f} ≤ "
                       f"{r.voluntary_max_isi_cv2}) or motor-unit potentials "
                       f"({f['spike_duration_ms']:.1f} ≥ {r.voluntary_min_potential_ms} ms)",
                       max(_below(f["isi_cv2"], r.voluntary_max_isi_cv2, m),
                           _above(f["spike_duration_ms"], r.voluntary_min_potential_ms, 0.1)))],
        "fasciculation": [(f"low rate ({rate:.2f} Hz ≤ {r.fasciculation_max_rate_hz} Hz)",
                           _below(rate, r.fasciculation_max_rate_hz, 0.25)),
                          (f"irregular (ISI CV {f['isi_cv']:.2f} ≥ {r.fasciculation_min_isi_cv})",
                           _above(f["isi_cv"], r.fasciculation_min_isi_cv, m))],
    }


#: Order in which the kind rules are tried; the first whose criteria all hold decides.
RULE_ORDER = ("artefact", "neuromyotonic", "myotonic", "fibrillation", "crd", "voluntary",
              "fasciculation")


def classify_train(f, rules=None) -> tuple[str, float, str, str]:
    """Name the kind of one unit train from its features.

    Parameters
    ----------
    f : dict
        Features of one train (:func:`myoemg.detect.features.train_features`).
    rules : DischargeRules | None
        The thresholds; default :class:`DischargeRules()`.

    Returns
    -------
    kind : str
        One of :data:`KINDS`: the first kind of :data:`RULE_ORDER` whose criteria all hold
        (membership ≥ 0.5), else 'other'.
    score : float
        Confidence in the kind, 0–1: the smallest membership of its criteria (1 = every
        criterion holds with a margin; near 0.5 = borderline); for 'other', one minus the
        score of the closest kind (the one meeting most of its criteria).
    rule : str
        The rule that decided (``'myotonic'``..., or ``'none'`` for 'other').
    reason : str
        The criteria behind the call, or what the closest kind missed.
    """
    rules = rules or DischargeRules()
    crit = _criteria(f, rules)
    best_kind, best_mean, best_score = None, -1.0, 0.0
    for kind in RULE_ORDER:
        score = min(v for _, v in crit[kind])
        if score >= 0.5:
            reason = "; ".join(text for text, _ in crit[kind])
            return kind, round(score, 3), kind, reason
        mean = float(np.mean([v for _, v in crit[kind]]))  # closest: most criteria met
        if kind != "artefact" and mean > best_mean:
            best_kind, best_mean, best_score = kind, mean, score
    failed = [text for text, v in crit[best_kind] if v < 0.5]
    reason = f"closest: {best_kind} ({best_score:.2f}), fails: " + "; ".join(failed)
    return "other", round(1 - best_score, 3), "none", reason
