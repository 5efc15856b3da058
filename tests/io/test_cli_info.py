import argparse

from myoemg.io import write_edf, write_force_csv

from ._helpers import simple_recording


def _args(recording, **kw):
    from cli import info

    parser = argparse.ArgumentParser()
    info.add_arguments(parser)
    argv = [str(recording)]
    for k, v in kw.items():
        argv += [f"--{k.replace('_', '-')}", str(v)]
    return info, parser.parse_args(argv)


def test_info_prints_roles_rates_units_and_no_identifiers(tmp_path, capsys):
    rec = simple_recording()
    rec.identifiers = {"patient_name": "Jane_Doe"}
    path = write_edf(rec.select(["EMG FDS"]), tmp_path / "S03.edf")
    force = write_force_csv(rec["Grip"], tmp_path / "dyn.csv", unit="kgf")
    info, args = _args(path, force=force)
    assert info.run(args) == 0
    out = capsys.readouterr().out
    for text in ("EMG FDS", "emg", "1999", "force", "123", "kgf -> N", "uV -> V",
                 "subject=S03", "duration"):
        assert text in out
    assert "Jane" not in out


def test_info_through_main_reports_errors_as_one_paragraph(tmp_path, capsys):
    from cli.main import main

    assert main(["info", str(tmp_path / "missing.edf")]) != 0
    err = capsys.readouterr().err
    assert "missing.edf" in err and "Traceback" not in err
