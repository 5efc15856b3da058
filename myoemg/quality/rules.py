"""The quality flags: codes, severities, the rule behind each and its thresholds.

Severity:

- ``info``: worth knowing; no result changes (e.g. an uncalibrated force channel);
- ``warning``: results that touch the flagged stretch or channel are still given but marked
  (``quality_flags`` in ``trials.csv``; ``rt_flagged`` when a relaxation time is affected);
- ``error``: the channel is unusable for a measure, which is then **not reported** (left empty,
  never "0 found"), with a note saying why.

Missing samples are the one case that raises: gaps longer than :data:`MAX_FILL_S` (or more than
:data:`MAX_MISSING_FRAC` of a channel) give :class:`~myoemg.utils.SignalQualityError`, because
filling them would invent signal.

Thresholds marked "ours" are choices of this toolkit, not published values (the domain
reference asks for them to be explicit); each is a module constant and a keyword of
:func:`myoemg.quality.check_recording`.
"""

from __future__ import annotations

from ..roles import MIN_RAW_EMG_FS

#: Longest gap of missing samples that is interpolated (linearly) and flagged, by channel kind,
#: in seconds. Force: 0.05 s, less than one period of the 15 Hz force low-pass (docs: domain
#: reference, relaxation and signal processing), so the filled stretch holds no more detail than the
#: analysis keeps (ours). EMG: 0.01 s, a few dropped packets of a wireless amplifier; a longer
#: stretch of EMG cannot be invented (ours). Other channels are not used and not filled.
MAX_FILL_S = {"force": 0.05, "emg": 0.01}
#: Most of a channel that may be missing (filled) before it is refused (ours: 5 %).
MAX_MISSING_FRAC = 0.05
#: Clipping: fewest samples at exactly the max (or min), which must also outnumber the next
#: value inward, for that extreme to be a saturation rail (ours; see
#: :func:`myoemg.quality.find_clipping`).
CLIP_MIN_COUNT = 5
#: Flagged stretches closer than this are reported as one, in seconds (ours).
MERGE_GAP_S = 0.1
#: A channel whose peak-to-peak range is at or below this is flat, by kind and SI unit (ours:
#: EMG 0.1 µV, under the ~1 µV RMS noise of any EMG amplifier; force 1 mN, under the resolution
#: of any dynamometer).
FLAT_ABS = {"emg": 1e-7, "force": 1e-3}
#: EMG that repeats exactly the same value this long is disconnected or frozen there, in
#: seconds (ours: an amplifier's noise changes the last bit within milliseconds). Not applied
#: to force, whose resting value may legitimately sit on one quantisation step.
EMG_FROZEN_S = 0.5
#: Slowest EMG rate for discharge detection, Hz (docs: domain reference, signal processing: surface
#: EMG sampling >= 1 kHz).
EMG_MIN_FS_DISCHARGES_HZ = 1000.0
#: Slowest rate at which a channel can be raw EMG at all, Hz: the one rule of
#: :data:`myoemg.roles.MIN_RAW_EMG_FS` (a slower "EMG", e.g. the 1 Hz rectified envelope of a
#: sleep recording, is not analysed as EMG).
EMG_MIN_FS_RAW_HZ = MIN_RAW_EMG_FS
#: Needle EMG below this rate is noted (docs: domain reference, signal processing: needle sampling
#: >= 20 kHz; unverified).
NEEDLE_MIN_FS_HZ = 20_000.0
#: EMG further than this from its median is not physiological, in V (ours: 0.1 V, ten times
#: the largest needle motor-unit potentials of about 10 mV and twenty times the ~5 mV peak of
#: surface EMG; a larger sample is an artefact, a saturated amplifier or a unit error such as
#: millivolts labelled volts).
EMG_MAX_ABS_V = 0.1
#: Slowest force rate for relaxation times, Hz (ours: 50 Hz, the slowest rate of the
#: dynamometers seen (docs: domain reference, recording: force 50–1000 Hz). Below it the 15 Hz force
#: low-pass (docs: domain reference, relaxation and signal processing) cannot be applied as
#: specified (the filters cap a cut-off at 0.45·fs) and one sample spans 20 ms or more, a large part
#: of a healthy RT90-5 of a few hundred ms).
FORCE_MIN_FS_HZ = 50.0
#: Mains lines carrying more than this share of the EMG-band power are flagged (ours: 50 %);
#: the hum is removed anyway (see :func:`myoemg.signal.remove_mains`).
MAINS_MAX_FRAC = 0.5
#: EMG whose activity-to-rest envelope ratio is below this shows no activity above its
#: noise, in dB (ours: 4 dB; surface EMG of a maximal grip stands 20–40 dB above rest).
EMG_MIN_SNR_DB = 4.0
#: Force whose strongest excursion is less than this many noise SDs is too noisy (ours: 20).
FORCE_MIN_SNR = 20.0
#: Calibrated peak grip force above this is implausible, in N (ours: about twice the strongest
#: grips of healthy adults; likely a unit or calibration error).
FORCE_MAX_N = 2000.0
#: Calibrated peak grip force (above baseline) below this is implausible, in N (ours).
FORCE_MIN_PEAK_N = 2.0
#: Force below its resting level by more than this fraction of its range is negative (ours).
FORCE_NEGATIVE_FRAC = 0.1
#: ... for at least this long, in seconds (ours).
FORCE_NEGATIVE_MIN_S = 0.1
#: A trial whose force, over the last :data:`SETTLE_S` of its window, stays above baseline by
#: more than this fraction of its peak did not return to baseline (ours: 10 %, twice the 5 %
#: end point of RT90-5, docs: domain reference, relaxation).
NO_RETURN_FRAC = 0.1
#: Length of the end-of-window stretch used for the return-to-baseline check, in s (ours).
SETTLE_S = 0.5
#: Force and EMG that overlap for less than this share of the longer one are mismatched (ours).
MIN_OVERLAP_FRAC = 0.9

SEVERITIES = ("info", "warning", "error")

#: code -> (severity, affects relaxation times, rule). ``affects_rt``: a relaxation time
#: measured across such a stretch (or on such a force channel) is marked ``rt_flagged``.
RULES = {
    "gap_filled": ("warning", True,
                   "missing (NaN) samples; gaps up to MAX_FILL_S (force 0.05 s, EMG 0.01 s) "
                   "linearly interpolated, longer ones refused"),
    "clipped": ("warning", True,
                f"the channel's max (or min) is repeated exactly >= {CLIP_MIN_COUNT} times and "
                "more often than the next value inward: saturated amplifier or ADC"),
    "flat": ("error", True, "peak-to-peak at or below FLAT_ABS (EMG 0.1 µV, force 1 mN): "
             "disconnected or empty channel"),
    "frozen": ("warning", False, f"EMG repeats one value for >= {EMG_FROZEN_S} s: "
               "disconnected or frozen amplifier there"),
    "emg_implausible": ("warning", False,
                        f"EMG more than {EMG_MAX_ABS_V:g} V from its median: not physiological "
                        "(artefact, saturated amplifier or unit error); measures near it are "
                        "unreliable"),
    "force_fs_low": ("warning", True,
                     f"force sampled below {FORCE_MIN_FS_HZ:g} Hz: too slow for the 15 Hz force "
                     "low-pass and for relaxation times to the resolution they need"),
    "emg_not_raw": ("error", False,
                    f"EMG sampled below {EMG_MIN_FS_RAW_HZ:g} Hz is not raw EMG (an envelope "
                    "or a trend): not analysed as EMG"),
    "emg_fs_low": ("error", False,
                   f"EMG sampled below {EMG_MIN_FS_DISCHARGES_HZ:g} Hz (docs: domain reference, "
                   "signal processing): too slow "
                   "to resolve discharge potentials; discharges not measured"),
    "needle_fs_low": ("info", False,
                      f"needle EMG below {NEEDLE_MIN_FS_HZ:g} Hz (docs: domain reference, signal "
                      "processing, unverified): the "
                      "band is capped at 0.45·fs"),
    "mains_high": ("warning", False,
                   f"mains lines carry > {MAINS_MAX_FRAC:.0%} of the EMG-band power"),
    "low_snr": ("warning", True,
                f"EMG activity/rest < {EMG_MIN_SNR_DB:g} dB, or force range < "
                f"{FORCE_MIN_SNR:g} noise SDs: no signal stands out of the noise"),
    "force_uncalibrated": ("info", False, "force in arbitrary units (uncalibrated counts, or a "
                           "pressure such as kPa or psi): forces are not newtons"),
    "force_inverted": ("warning", True,
                       "the force swings further below its resting level than above it: "
                       "negative-going trace"),
    "force_negative": ("warning", False,
                       f"force below its resting level by > {FORCE_NEGATIVE_FRAC:.0%} of its "
                       f"range for >= {FORCE_NEGATIVE_MIN_S} s"),
    "force_implausible": ("warning", False,
                          f"peak grip force above {FORCE_MAX_N:g} N or below "
                          f"{FORCE_MIN_PEAK_N:g} N: unit or calibration error?"),
    "force_no_return": ("warning", False,
                        f"force over the last {SETTLE_S} s of the trial's window stays above "
                        f"baseline by > {NO_RETURN_FRAC:.0%} of the peak"),
    "duration_mismatch": ("warning", False,
                          f"force and EMG overlap for < {MIN_OVERLAP_FRAC:.0%} of the longer "
                          "one"),
    "no_emg_for_trial": ("warning", False, "the EMG does not cover this trial's window"),
}

__all__ = [
    "CLIP_MIN_COUNT", "EMG_FROZEN_S", "EMG_MAX_ABS_V", "EMG_MIN_FS_DISCHARGES_HZ",
    "FORCE_MIN_FS_HZ",
    "EMG_MIN_FS_RAW_HZ", "EMG_MIN_SNR_DB", "FLAT_ABS", "FORCE_MAX_N", "FORCE_MIN_PEAK_N",
    "FORCE_MIN_SNR", "FORCE_NEGATIVE_FRAC", "FORCE_NEGATIVE_MIN_S", "MAINS_MAX_FRAC",
    "MAX_FILL_S", "MAX_MISSING_FRAC", "MERGE_GAP_S", "MIN_OVERLAP_FRAC", "NEEDLE_MIN_FS_HZ",
    "NO_RETURN_FRAC", "RULES", "SETTLE_S", "SEVERITIES",
]
