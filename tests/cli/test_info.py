"""``myoemg info``: channels, roles, rates, units and conversions; identifiers only on request."""

from myoemg.io import write_edf, write_force_csv
from myoemg_cli.main import main
from tests.io._helpers import simple_recording

from ._run import with_patient_name


def _files(tmp_path):
    rec = simple_recording()
    path = write_edf(rec.select(["EMG FDS"]), tmp_path / "plain.edf")
    path = with_patient_name(path, tmp_path / "S03.edf")
    force = write_force_csv(rec["Grip"], tmp_path / "dyn.csv", unit="kgf")
    return path, force


def test_info_prints_roles_rates_units_and_no_identifiers(tmp_path, capsys):
    path, force = _files(tmp_path)
    assert main(["info", str(path), "--force", str(force)]) == 0
    out = capsys.readouterr().out
    for text in ("EMG FDS", "emg", "1999", "force", "123", "kgf -> N", "uV -> V",
                 "subject=S03", "duration"):
        assert text in out
    assert "Jane" not in out


def test_info_identify_shows_the_identifiers(tmp_path, capsys):
    path, _ = _files(tmp_path)
    assert main(["info", str(path), "--identify"]) == 0
    assert "Jane" in capsys.readouterr().out


def test_info_through_main_reports_errors_as_one_paragraph(tmp_path, capsys):
    assert main(["info", str(tmp_path / "missing.edf")]) == 2
    err = capsys.readouterr().err
    assert "missing.edf" in err and "Traceback" not in err


def test_plain_table_lays_out_as_pandas():
    import pandas as pd

    from myoemg_cli.info import plain_table

    columns = {"name": ["EMG FDS", "Grip", "é\tx", ""], "kind": ["emg", "force", "misc", "-"],
               "n_times": [150000, 37500, 7, 123456789], "unit": ["V", "N", "", "a\nb"]}
    expected = pd.DataFrame(columns).to_string(index=False)
    assert plain_table(columns, numeric={"n_times"}) == expected


def test_info_of_a_recording_without_events_does_not_load_pandas(tmp_path):
    import subprocess
    import sys

    rec = simple_recording().select(["EMG FDS"])
    rec.events = rec.events.iloc[:0]
    path = write_edf(rec, tmp_path / "no_events.edf")
    code = ("import sys; from myoemg_cli.main import main; main(['info', sys.argv[1]]); "
            "print('pandas' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout
    assert "EMG FDS" in out
    assert out.strip().splitlines()[-1] == "False"
