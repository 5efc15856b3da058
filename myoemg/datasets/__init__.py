"""Bundled sample sessions: paths to small simulated recordings that ship with myoemg.

The files are simulated (``myoemg.sim``; none comes from a person) and written in real formats,
so the quick start, the examples and a first try work right after ``pip install myoemg``, with
no download at run time. In a source checkout they are read from ``data/samples/``; a wheel
carries the same files as ``myoemg/datasets/_samples/`` (``pyproject.toml``, ``force-include``).

>>> import myoemg
>>> path = myoemg.datasets.sample("warmup")      # .../grip_warmup.edf
>>> res = myoemg.analyze(myoemg.read(path))      # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from ..utils import MyoemgError, suggest

#: name -> (recording file, what it is). Truth tables are ``<stem>_truth_trials.csv`` and
#: ``<stem>_truth_discharges.csv`` beside each recording.
SAMPLES = {
    "warmup": ("grip_warmup.edf",
               "EDF+ with EMG (2000 Hz) and force (500 Hz) at their own rates; six grips whose "
               "RT90-5 falls from about 2.5 s to 0.8 s (DM1-like warm-up), myotonic discharges "
               "after the releases, 50 Hz hum"),
    "healthy": ("grip_healthy.edf",
                "the same layout: fast relaxation (RT90-5 about 0.25 s), no discharges, 60 Hz "
                "hum"),
    "paradoxical": ("grip_paradoxical.edf",
                    "EMG only (two channels, 1000 Hz); the force is the dynamometer's CSV export "
                    "beside it (grip_paradoxical_force.csv, kgf, 100 Hz), paired by the rule "
                    "<stem>_force.csv; RT90-5 rises over the grips (paradoxical course)"),
}

_HERE = Path(__file__).resolve().parent
#: Where the samples are looked for, in order: inside the installed package (a wheel), then the
#: source checkout's data/samples/ (an editable install or a clone on sys.path).
_FOLDERS = (_HERE / "_samples", _HERE.parent.parent / "data" / "samples")


def data_path() -> Path:
    """The folder that holds the bundled samples.

    Returns
    -------
    folder : Path
        ``myoemg/datasets/_samples`` in an installed wheel, ``data/samples`` in a source
        checkout.

    Raises
    ------
    MyoemgError
        When neither folder holds the samples (a broken installation).
    """
    for folder in _FOLDERS:
        if all((folder / f).is_file() for f, _ in SAMPLES.values()):
            return folder
    raise MyoemgError(
        "myoemg's bundled samples are missing (looked in "
        f"{', '.join(str(f) for f in _FOLDERS)}); reinstall myoemg with pip, or run from a "
        "complete source checkout.")


def sample(name="warmup") -> Path:
    """The path of a bundled sample recording.

    Parameters
    ----------
    name : {'warmup', 'healthy', 'paradoxical'}
        Which session (see :data:`SAMPLES`).

    Returns
    -------
    path : Path
        The recording file, ready for :func:`myoemg.read` (a separate force file, when the
        session has one, lies beside it and is paired automatically).

    Raises
    ------
    ValueError
        When ``name`` is not a sample's name (the message lists them).
    """
    if name not in SAMPLES:
        raise ValueError(f"no bundled sample named {name!r}; the samples are "
                         f"{sorted(SAMPLES)}.{suggest(name, SAMPLES)}")
    return data_path() / SAMPLES[name][0]


def sample_truth(name="warmup") -> dict[str, Path]:
    """The ground-truth tables of a bundled sample.

    Parameters
    ----------
    name : {'warmup', 'healthy', 'paradoxical'}
        Which session.

    Returns
    -------
    paths : dict of str to Path
        ``'trials'``: the truth per grip (onset, release, peak force above baseline, RT90-5,
        RT90-50, RT50-5 on the clean curve, myotonic, discharge count); ``'discharges'``: the
        truth per simulated discharge train (start, end, kind, spike count, rates).
    """
    stem = Path(sample(name)).stem
    return {kind: data_path() / f"{stem}_truth_{kind}.csv" for kind in ("trials", "discharges")}


__all__ = ["SAMPLES", "data_path", "sample", "sample_truth"]
