"""myoemg.datasets: the bundled samples, in a source checkout and inside a built wheel."""

import hashlib
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import myoemg
from myoemg import datasets
from myoemg.utils import MyoemgError

from .._venv import build_wheel, fresh_venv, pip_install

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "samples"


def _sha(path):
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.mark.parametrize("name", sorted(datasets.SAMPLES))
def test_sample_is_the_bundled_file_and_reads(name):
    path = datasets.sample(name)
    assert path.is_file() and path.name == datasets.SAMPLES[name][0]
    if SOURCE.is_dir():  # installed or not, the same bytes as data/samples
        assert _sha(path) == _sha(SOURCE / path.name)
    rec = myoemg.read(path)
    assert rec.force is not None and len(rec.emg) >= 1
    assert rec.force.unit == "N"


def test_paradoxical_sample_pairs_its_force_file():
    rec = myoemg.read(datasets.sample("paradoxical"))
    assert isinstance(rec.source, list) and Path(rec.source[1]).name == \
        "grip_paradoxical_force.csv"
    assert any("kgf -> N" in c for c in rec.conversions)


def test_truth_tables_match_the_recordings():
    for name in datasets.SAMPLES:
        truth = datasets.sample_truth(name)
        trials = pd.read_csv(truth["trials"])
        assert {"trial", "rt90_5_s", "peak_force_n"} <= set(trials.columns)
        res = myoemg.analyze(myoemg.read(datasets.sample(name)), detect=False)
        assert len(res.trials) == len(trials)
        assert truth["discharges"].is_file()


def test_unknown_name_lists_the_samples():
    with pytest.raises(ValueError, match=r"healthy.*Did you mean 'warmup'"):
        datasets.sample("warmpu")


def test_missing_samples_say_what_to_do(tmp_path, monkeypatch):
    monkeypatch.setattr(datasets, "_FOLDERS", (tmp_path / "a", tmp_path / "b"))
    with pytest.raises(MyoemgError, match="reinstall myoemg"):
        datasets.sample("warmup")


@pytest.mark.slow
def test_wheel_ships_the_samples_and_the_quick_start_works_outside_the_clone(tmp_path):
    wheel = build_wheel(ROOT, tmp_path / "wheels")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"myoemg/datasets/_samples/{p.name}" for p in SOURCE.iterdir()
                if p.is_file() and p.suffix != ".py"}
    assert expected <= names
    assert "myoemg/datasets/_samples/make_samples.py" not in names
    assert "myoemg/py.typed" in names

    python, purelib = fresh_venv(tmp_path / "venv")
    pip_install(python, wheel)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    path = subprocess.run([python, "-c", "import myoemg; print(myoemg.datasets.sample('warmup'))"],
                          cwd=elsewhere, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(path).is_relative_to(purelib / "myoemg" / "datasets" / "_samples")
    done = subprocess.run([python.with_name("myoemg"), "analyze", path, "--out", "x"],
                          cwd=elsewhere, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(pd.read_csv(elsewhere / "x" / "trials.csv")) == 6
    assert (elsewhere / "x" / "report.html").is_file()
