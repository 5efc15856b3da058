"""``myoemg info`` prints how a recording is read (roles, rates, units), never identifiers."""

from myoemg.io import write_edf, write_force_csv

from ._bad_files import run_cli
from ._helpers import simple_recording


def test_info_prints_roles_rates_units_and_no_identifiers(tmp_path, capsys):
    rec = simple_recording()
    rec.identifiers = {"patient_name": "Jane_Doe"}
    path = write_edf(rec.select(["EMG FDS"]), tmp_path / "S03.edf")
    force = write_force_csv(rec["Grip"], tmp_path / "dyn.csv", unit="kgf")
    code, out, err = run_cli(capsys, "info", path, "--force", force)
    assert code == 0, err
    for text in ("EMG FDS", "emg", "1999", "force", "123", "kgf -> N", "uV -> V",
                 "subject=S03", "duration"):
        assert text in out
    assert "Jane" not in out


def test_info_reports_errors_as_one_paragraph(tmp_path, capsys):
    code, _, err = run_cli(capsys, "info", tmp_path / "missing.edf")
    assert code == 2
    assert "missing.edf" in err and "Traceback" not in err
