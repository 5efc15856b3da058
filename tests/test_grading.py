"""The severity grade: explicit rule, monotonic in severity, EMG evidence, ULN defaults."""

import numpy as np
import pytest

from myoemg.grading import DEVICE_ULN, DISCLAIMER, grade_severity, resolve_uln

from ._sessions import run_many

DM1 = np.array([2.5, 1.31, 0.96, 0.85, 0.82, 0.80])


def test_grade_is_monotonic_in_relaxation_time():
    grades = [grade_severity(DM1 * f, myotonic_trials=[True] * 6, uln_rt90_5_s=0.6).grade
              for f in np.geomspace(0.1, 10, 40)]
    assert grades == sorted(grades)
    assert grades[0] == 1 and grades[-1] == 3  # discharges alone: mild; far above ULN: marked
    # without EMG (not assessed) the floor is grade 0
    g0 = grade_severity(DM1 * 0.1, uln_rt90_5_s=0.6)
    assert g0.grade == 0 and any("not assessed" in c for c in g0.caveats)


def test_persistent_myotonia_grades_higher_than_one_that_warms_up():
    kw = dict(myotonic_trials=[True] * 6, uln_rt90_5_s=0.5)
    plateaus = [0.3, 0.8, 1.5, 3.0]
    grades = [grade_severity([3.0, 2.0, p, p, p, p], **kw).grade for p in plateaus]
    assert grades == sorted(grades) and grades[0] < grades[-1]


def test_rule_numbers_and_label_are_returned():
    g = grade_severity(DM1, myotonic_trials=[True] * 6, uln_rt90_5_s=0.6,
                       after_activity_s=[2.0, 1.0, 0.8, 0.6, 0.6, 0.6],
                       peak_force_n=[300, 298, 296, 294, 292, 290])
    n = g.numbers
    assert n.multiple_uln_worst == pytest.approx(2.5 / 0.6)
    assert n.points_worst == 3 and n.points_plateau == 1 and n.score == 4
    assert g.grade == 2 and g.label == "moderate"
    assert g.disclaimer == DISCLAIMER and DISCLAIMER in g.text
    assert "ULN" in g.rule and "ours" in g.rule
    assert any("after-activity" in r for r in g.reasons)
    assert any("peak force" in r for r in g.reasons)


def test_no_discharges_keep_the_grade_with_a_caveat_unless_the_let_go_is_voluntary():
    unconfirmed = grade_severity(DM1, myotonic_trials=[False] * 6, uln_rt90_5_s=0.6)
    assert unconfirmed.grade == grade_severity(DM1, uln_rt90_5_s=0.6).grade
    assert "EMG did not confirm myotonia" in unconfirmed.text
    g = grade_severity(DM1, myotonic_trials=[False] * 6, voluntary_letgo=True, uln_rt90_5_s=0.6)
    assert g.grade is None and g.label == "not graded"
    healthy = grade_severity([0.25, 0.3, 0.22], myotonic_trials=[False] * 3, uln_rt90_5_s=0.6)
    assert healthy.grade == 0


def test_censored_trial_counts_with_its_lower_bound():
    g = grade_severity([np.nan, 1.0, 0.8, 0.8], lower_bound_s=[5.0, 0, 0, 0],
                       myotonic_trials=3, uln_rt90_5_s=0.5)
    assert g.numbers.worst_trial == 1 and g.numbers.worst_censored
    assert g.numbers.multiple_uln_worst == pytest.approx(10.0)


def test_weak_grip_caveat():
    g = grade_severity([0.3, 0.3, 0.3], peak_force_n=[30, 29, 28], myotonic_trials=0,
                       uln_rt90_5_s=0.5)
    assert any("weak" in c for c in g.caveats)


def test_uln_defaults_are_documented_and_resolvable():
    for key, d in DEVICE_ULN.items():
        assert d["uln_s"] > 0 and "ours" in d["derivation"]
        assert resolve_uln(device_type=key).uln_s == d["uln_s"]
    assert resolve_uln(device="myoemg.sim").device_type == "simulated"
    unknown = resolve_uln(device="Acme grip 3000")
    assert unknown.device_type == "qma" and "not recognised" in unknown.source
    assert resolve_uln(uln_rt90_5_s=0.45, device="myoemg.sim").uln_s == 0.45
    with pytest.raises(ValueError, match="device_type"):
        resolve_uln(device_type="jamar")
    with pytest.raises(ValueError, match="positive"):
        resolve_uln(uln_rt90_5_s=-1)


def test_grade_rises_with_simulated_severity():
    # steady myotonia of increasing RT90-5, discharges after every grip; full analyze
    rts = (0.25, 0.6, 1.2, 3.0)
    results = run_many([dict(pattern="steady", rt90_5_s=[r] * 3, n_trials=3, rest_s=4.0,
                             discharges="myotonic", seed=5) for r in rts])
    grades = [summary.grade.grade for summary, *_ in results]
    assert None not in grades, grades
    assert grades == sorted(grades) and grades[0] < grades[-1], grades
