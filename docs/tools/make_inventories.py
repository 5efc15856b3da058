"""Write the intersphinx inventories the docs build reads offline (docs/_inventories/*.inv).

CI reaches package registries only, so intersphinx cannot download ``objects.inv`` from the
NumPy, SciPy, pandas, MNE and Python sites. Instead, :data:`TARGETS` lists every external
object the pages and docstrings link to, with its page on the project's site (the URL a
reader's browser opens; the build never requests it), and this script writes one small
Sphinx inventory per project with sphobjinv. The build is ``nitpicky``: a link to an object
missing here is a warning, hence an error; add it below and run::

    python docs/tools/make_inventories.py

URIs follow each site's layout (``$`` stands for the object's name, as in ``objects.inv``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import sphobjinv as soi

OUT = Path(__file__).resolve().parents[1] / "_inventories"

#: project -> (name, version, {(role, object name): uri}).
TARGETS = {
    "python": ("Python", "3", {
        **{("py:class", n): "library/stdtypes.html#$" for n in (
            "str", "dict", "list", "tuple", "bytes", "set", "frozenset", "range")},
        **{("py:class", n): "library/functions.html#$" for n in (
            "object", "float", "int", "bool")},
        ("std:term", "sequence"): "glossary.html#term-sequence",
        ("std:term", "iterable"): "glossary.html#term-iterable",
        **{("py:function", n): "library/functions.html#$" for n in (
            "callable", "open", "print", "len")},
        ("py:data", "None"): "library/constants.html#$",
        ("py:data", "True"): "library/constants.html#$",
        ("py:data", "False"): "library/constants.html#$",
        **{("py:exception", n): "library/exceptions.html#$" for n in (
            "Exception", "ValueError", "TypeError", "OSError", "KeyError", "ImportError",
            "KeyboardInterrupt", "FileNotFoundError", "RuntimeError", "MemoryError")},
        ("py:class", "pathlib.Path"): "library/pathlib.html#$",
        ("py:class", "pathlib.PurePath"): "library/pathlib.html#$",
        ("py:class", "os.PathLike"): "library/os.html#$",
        ("py:class", "datetime.datetime"): "library/datetime.html#$",
        ("py:class", "datetime.timezone"): "library/datetime.html#$",
        ("py:function", "dataclasses.replace"): "library/dataclasses.html#$",
        ("py:function", "dataclasses.dataclass"): "library/dataclasses.html#$",
        ("py:class", "logging.Logger"): "library/logging.html#$",
        ("py:module", "logging"): "library/logging.html#module-$",
        ("py:function", "os.replace"): "library/os.html#$",
        ("py:class", "argparse.ArgumentParser"): "library/argparse.html#$",
        ("py:function", "difflib.get_close_matches"): "library/difflib.html#$",
        ("py:function", "json.dumps"): "library/json.html#$",
        ("py:function", "glob.glob"): "library/glob.html#$",
        ("py:class", "concurrent.futures.ProcessPoolExecutor"):
            "library/concurrent.futures.html#$",
    }),
    "numpy": ("NumPy", "2", {
        ("py:class", "numpy.ndarray"): "reference/generated/numpy.ndarray.html#$",
        ("py:class", "numpy.dtype"): "reference/generated/numpy.dtype.html#$",
        ("py:class", "numpy.random.Generator"): "reference/random/generator.html#$",
        ("py:data", "numpy.nan"): "reference/constants.html#$",
        ("py:class", "numpy.float64"): "reference/arrays.scalars.html#$",
        ("py:function", "numpy.take_along_axis"):
            "reference/generated/numpy.take_along_axis.html#$",
        ("py:function", "numpy.interp"): "reference/generated/numpy.interp.html#$",
        ("py:function", "numpy.random.default_rng"):
            "reference/random/generator.html#$",
        ("std:term", "array_like"): "glossary.html#term-array_like",
    }),
    "scipy": ("SciPy", "1", {
        **{("py:function", f"scipy.signal.{n}"): f"reference/generated/scipy.signal.{n}.html#$"
           for n in ("sosfiltfilt", "butter", "find_peaks", "resample_poly", "welch",
                     "hilbert", "iirnotch", "correlate")},
        ("py:function", "scipy.io.loadmat"): "reference/generated/scipy.io.loadmat.html#$",
        ("py:function", "scipy.io.wavfile.read"):
            "reference/generated/scipy.io.wavfile.read.html#$",
        ("py:function", "scipy.optimize.curve_fit"):
            "reference/generated/scipy.optimize.curve_fit.html#$",
        ("py:function", "scipy.optimize.least_squares"):
            "reference/generated/scipy.optimize.least_squares.html#$",
    }),
    "pandas": ("pandas", "2", {
        ("py:class", "pandas.DataFrame"): "reference/api/pandas.DataFrame.html#$",
        ("py:class", "pandas.Series"): "reference/api/pandas.Series.html#$",
        ("py:function", "pandas.read_csv"): "reference/api/pandas.read_csv.html#$",
        ("py:function", "pandas.read_parquet"): "reference/api/pandas.read_parquet.html#$",
        ("py:method", "pandas.DataFrame.to_parquet"):
            "reference/api/pandas.DataFrame.to_parquet.html#$",
        ("py:method", "pandas.DataFrame.to_csv"):
            "reference/api/pandas.DataFrame.to_csv.html#$",
        ("py:method", "pandas.DataFrame.groupby"):
            "reference/api/pandas.DataFrame.groupby.html#$",
    }),
    "mne": ("MNE", "1", {
        ("py:class", "mne.io.Raw"): "generated/mne.io.Raw.html#$",
        ("py:class", "mne.io.BaseRaw"): "generated/mne.io.BaseRaw.html#$",
        ("py:class", "mne.io.RawArray"): "generated/mne.io.RawArray.html#$",
        ("py:class", "mne.Annotations"): "generated/mne.Annotations.html#$",
        ("py:class", "mne.Info"): "generated/mne.Info.html#$",
        ("py:method", "mne.io.Raw.plot"): "generated/mne.io.Raw.html#$",
        ("py:method", "mne.io.Raw.set_annotations"): "generated/mne.io.Raw.html#$",
        ("py:function", "mne.io.read_raw_edf"): "generated/mne.io.read_raw_edf.html#$",
        ("py:function", "mne.io.read_raw"): "generated/mne.io.read_raw.html#$",
        ("py:function", "mne.export.export_raw"): "generated/mne.export.export_raw.html#$",
    }),
    "matplotlib": ("Matplotlib", "3", {
        ("py:class", "matplotlib.figure.Figure"):
            "api/_as_gen/matplotlib.figure.Figure.html#$",
        ("py:class", "matplotlib.axes.Axes"): "api/_as_gen/matplotlib.axes.Axes.html#$",
        ("py:function", "matplotlib.pyplot.subplots"):
            "api/_as_gen/matplotlib.pyplot.subplots.html#$",
    }),
}


def inventory(project, version, targets):
    """A sphobjinv Inventory holding ``targets`` ({(role, name): uri})."""
    inv = soi.Inventory()
    inv.project, inv.version = project, version
    for (role, name), uri in sorted(targets.items()):
        domain, role = role.split(":")
        inv.objects.append(soi.DataObjStr(name=name, domain=domain, role=role, priority="1",
                                          uri=uri, dispname="-"))
    return inv


def main():
    """Write every inventory of TARGETS into docs/_inventories/."""
    OUT.mkdir(exist_ok=True)
    for key, (project, version, targets) in TARGETS.items():
        inv = inventory(project, version, targets)
        path = OUT / f"{key}.inv"
        soi.writebytes(path, soi.compress(inv.data_file(contract=True)))
        print(f"{path.relative_to(OUT.parent.parent)}: {len(inv.objects)} objects")
    return 0


if __name__ == "__main__":
    sys.exit(main())
