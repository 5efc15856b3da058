"""Per-session warm-up numbers, the exponential fit, the evidence rule, and pattern labels on
fully simulated and analysed sessions (the confusion table of issue 6)."""

import numpy as np
import pandas as pd
import pytest

from myoemg.metrics import warmup_curve_fit, warmup_pattern, warmup_summary
from myoemg.metrics.warmup import trials_to_plateau

from .._sessions import run_many

# a Logigian 2005-like course (docs: domain reference, relaxation)
DM1 = [2.5, 1.31, 0.96, 0.85, 0.82, 0.80]


def test_numbers_of_a_dm1_course():
    s = warmup_summary(DM1, rt50_5_s=np.array(DM1) * 0.8, peak_force=[300, 298, 301, 299,
                                                                         297, 300])
    r = s.rt90_5
    assert r.first_s == 2.5 and r.last_s == 0.8 and r.min_s == 0.8
    assert r.warmup_s == pytest.approx(1.7)
    assert r.warmup_pct == pytest.approx(68.0)
    assert r.share_trial_1_2 == pytest.approx((2.5 - 1.31) / 1.7)  # 70 %
    # final level = median of the last 3 = 0.82; tolerance max(20 % x 0.82, 0.1) = 0.164 s
    assert r.plateau_s == pytest.approx(0.82) and r.plateau_trial == 3
    assert s.rt50_5.warmup_pct == pytest.approx(68.0)
    assert s.peak_force.change_n == 0.0
    assert s.pattern == "warm-up" and s.definitions


def test_exponential_fit_recovers_parameters_with_uncertainty():
    k = np.arange(1, 7)
    rng = np.random.default_rng(0)
    rt = 0.8 + 1.7 * np.exp(-(k - 1) / 0.83) + 0.01 * rng.standard_normal(6)
    fit = warmup_curve_fit(rt)
    assert fit.status == "ok" and fit.n_used == 6
    assert fit.rt_inf_s == pytest.approx(0.8, abs=0.05)
    assert fit.a_s == pytest.approx(1.7, abs=0.08)
    assert fit.n_trials == pytest.approx(0.83, abs=0.1)
    for key in ("rt_inf_se_s", "a_se_s", "n_trials_se"):
        assert 0 < getattr(fit, key) < 0.2
    # paradoxical rise: A < 0
    assert warmup_curve_fit(2.0 - 1.4 * np.exp(-(k - 1) / 2.0)).a_s < 0


def test_fit_needs_four_relaxed_trials():
    assert warmup_curve_fit([2.5, 1.3, 0.9]).status == "too few trials"
    assert warmup_curve_fit([2.5, np.nan, 1.3, 0.9, 0.8]).n_used == 4


def test_plateau_rule_and_censored_first_trial():
    assert trials_to_plateau([0.5, 0.5, 0.5, 0.5]).trial == 1
    assert trials_to_plateau([2.0, 1.0]).trial is None  # too few trials
    s = warmup_summary([np.nan, 1.2, 0.9, 0.8, 0.8], lower_bound_s=[4.0, 0, 0, 0, 0])
    assert np.isnan(s.rt90_5.first_s)
    assert s.pattern == "warm-up"  # the lower bound (4 s) enters the pattern rule


def test_evidence_rule_keeps_the_label_unless_the_emg_shows_a_voluntary_let_go():
    """Issue 11: a missed detection must not turn a warm-up into 'none'."""
    unconfirmed = warmup_pattern(DM1, myotonic_evidence=False)
    assert unconfirmed.pattern == "warm-up" and "EMG did not confirm myotonia" in unconfirmed.reason
    voluntary = warmup_pattern(DM1, myotonic_evidence=False, voluntary_letgo=True)
    assert voluntary.pattern == "none" and voluntary.trend == "warm-up"
    assert "slow voluntary let-go" in voluntary.reason
    assert warmup_pattern(DM1, myotonic_evidence=True).pattern == "warm-up"
    assert warmup_pattern(DM1).pattern == "warm-up"  # not assessed: RT alone
    rising = [0.6, 0.9, 1.2, 1.5, 1.8, 2.1]
    assert warmup_pattern(rising, myotonic_evidence=False).pattern == "paradoxical"
    assert warmup_pattern(rising, myotonic_evidence=False,
                          voluntary_letgo=True).pattern == "none"


def test_steady_myotonia_with_jitter_is_none():
    rng = np.random.default_rng(3)
    for _ in range(20):
        rts = 1.5 * (1 + 0.05 * rng.uniform(-1, 1, 6))
        assert warmup_pattern(rts, myotonic_evidence=True).pattern == "none"


# -- full simulate_session + analyze: the confusion table -----------------------------------------
SEEDS = (0, 1, 2)
#: (pattern, variant, seed): variant '' (myotonic discharges after each release), 'slow let-go'
#: (a slow voluntary let-go, no discharges) or 'missed' (myotonic relaxation whose discharges
#: the detector cannot see: none simulated).
CASES = ([(p, "", s) for p in ("healthy", "warm-up", "paradoxical", "steady") for s in SEEDS]
         + [(p, "slow let-go", 0) for p in ("warm-up", "paradoxical")]
         + [(p, "missed", 0) for p in ("warm-up", "paradoxical")])
EXPECTED = {"healthy": "none", "warm-up": "warm-up", "paradoxical": "paradoxical",
            "steady": "none", "warm-up, slow let-go": "none", "paradoxical, slow let-go": "none",
            "warm-up, missed": "warm-up", "paradoxical, missed": "paradoxical"}
_VARIANT_KW = {"": {}, "slow let-go": {"slow_release": True}, "missed": {"discharges": "none"}}


@pytest.fixture(scope="module")
def confusion():
    kwargs = [dict(pattern=p, seed=seed, n_trials=6, rest_s=5.0, **_VARIANT_KW[variant])
              for p, variant, seed in CASES]
    results = run_many(kwargs)
    rows = []
    for (p, variant, seed), (summary, _, _, _) in zip(CASES, results, strict=True):
        rows.append({"simulated": p + (f", {variant}" if variant else ""), "seed": seed,
                     "label": summary.pattern, "trend": summary.warmup.trend,
                     "evidence": summary.myotonic_evidence, "grade": summary.grade.text})
    return pd.DataFrame(rows)


def test_pattern_labels_on_simulated_sessions(confusion):
    table = pd.crosstab(confusion["simulated"], confusion["label"])
    print("\nconfusion table (rows: simulated pattern, columns: label)\n" + table.to_string())
    wrong = confusion[confusion["label"] != confusion["simulated"].map(EXPECTED)]
    assert wrong.empty, wrong.to_string()


def test_slow_let_go_has_the_trend_but_no_evidence(confusion):
    slow = confusion[confusion["simulated"].str.contains("slow")]
    assert (slow["evidence"] == False).all()  # noqa: E712 - a bool column of Python objects
    assert set(slow["trend"]) == {"warm-up", "paradoxical"}


def test_missed_discharges_keep_the_grade_with_a_caveat(confusion):
    missed = confusion[confusion["simulated"].str.contains("missed")]
    assert (missed["evidence"] == False).all()  # noqa: E712
    assert missed["grade"].str.contains("EMG did not confirm myotonia").all()
    slow = confusion[confusion["simulated"].str.contains("slow")]
    assert slow["grade"].str.startswith("not graded").all()
