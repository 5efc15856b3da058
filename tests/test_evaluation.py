import numpy as np
import pandas as pd
import pytest

from myoemg.evaluation import SCORE_COLUMNS, confusion_table, match_events, score_detections


def _t(rows):
    return pd.DataFrame(rows, columns=["segment", "start_s", "end_s", "kind"])


def test_hand_case_precision_recall_f1_and_errors():
    truth = _t([(0, 1.0, 2.0, "myotonic"), (1, 1.0, 3.0, "myotonic"), (2, 0.5, 1.5, "crd")])
    found = _t([(0, 1.02, 2.1, "myotonic"),   # match: onset error 0.02, offset 0.1
                (1, 5.0, 6.0, "myotonic"),    # false detection (no overlap)
                (2, 0.5, 1.5, "crd"),         # match
                (2, 0.6, 1.4, "myotonic")])   # false myotonic on the CRD
    sc = score_detections(found, truth, tolerance_s=0.05).set_index("kind")
    assert list(score_detections(found, truth).columns) == SCORE_COLUMNS
    assert sc.loc["myotonic", "n_matched"] == 1
    assert sc.loc["myotonic", "precision"] == pytest.approx(1 / 3)
    assert sc.loc["myotonic", "recall"] == pytest.approx(1 / 2)
    assert sc.loc["myotonic", "f1"] == pytest.approx(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2))
    assert sc.loc["myotonic", "onset_error_s"] == pytest.approx(0.02)
    assert sc.loc["myotonic", "offset_error_s"] == pytest.approx(0.1)
    assert sc.loc["crd", "f1"] == 1.0


def test_one_to_one_and_overlap_rule():
    truth = _t([(0, 1.0, 3.0, "myotonic")])
    found = _t([(0, 1.0, 1.8, "myotonic"), (0, 2.0, 3.0, "myotonic")])  # split in two
    m = match_events(found, truth, tolerance_s=0.01, min_overlap=0.3)
    assert len(m) == 1
    sc = score_detections(found, truth, tolerance_s=0.01).set_index("kind")
    assert sc.loc["myotonic", "precision"] == 0.5 and sc.loc["myotonic", "recall"] == 1.0
    # onsets only: the second piece can never match
    m2 = match_events(found.iloc[[1]], truth, tolerance_s=0.01, min_overlap=None)
    assert len(m2) == 0


def test_segments_keep_events_apart_and_empty_inputs():
    truth = _t([(0, 1.0, 2.0, "myotonic")])
    found = _t([(1, 1.0, 2.0, "myotonic")])
    sc = score_detections(found, truth).set_index("kind")
    assert sc.loc["myotonic", "n_matched"] == 0
    empty = _t([])
    sc = score_detections(empty, truth).set_index("kind")
    assert sc.loc["myotonic", "recall"] == 0 and np.isnan(sc.loc["myotonic", "precision"])


def test_confusion_table():
    truth = _t([(0, 1.0, 2.0, "myotonic"), (1, 1.0, 2.0, "crd"), (2, 1.0, 2.0, "voluntary")])
    found = _t([(0, 1.0, 2.0, "myotonic"), (1, 1.0, 2.0, "other")])
    tab = confusion_table(found, truth)
    assert tab.loc["myotonic", "myotonic"] == 1
    assert tab.loc["crd", "other"] == 1
    assert tab.loc["voluntary", "missed"] == 1
