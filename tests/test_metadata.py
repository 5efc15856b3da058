"""Package metadata: one version everywhere, the licence, URLs, classifiers, extras, py.typed."""

import importlib.metadata
import re
from pathlib import Path

import myoemg

ROOT = Path(__file__).resolve().parents[1]


def test_one_version_in_citation_and_changelog():
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    (version,) = re.findall(r'^version: "([^"]+)"$', cff, flags=re.MULTILINE)
    assert version == myoemg.__version__
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"\n## {myoemg.__version__}\n" in changelog
    assert importlib.metadata.version("myoemg") == myoemg.__version__


def test_licence_file_matches_the_metadata():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("BSD 3-Clause License") and "myoemg developers" in text
    meta = importlib.metadata.metadata("myoemg")
    assert (meta.get("License-Expression") or meta.get("License")) == "BSD-3-Clause"


def test_metadata_has_authors_urls_classifiers_and_honest_extras():
    meta = importlib.metadata.metadata("myoemg")
    assert "myoemg developers" in (meta.get("Author") or meta.get("Author-email") or "")
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL"))
    assert {"Documentation", "Source", "Issues"} <= set(urls)
    assert "Typing :: Typed" in meta.get_all("Classifier")
    assert "myotonia" in meta["Keywords"]
    extras = set(meta.get_all("Provides-Extra"))
    assert "docs" in extras and "report" not in extras  # report installed nothing mne lacks
    requires = " ".join(meta.get_all("Requires-Dist"))
    assert "joblib" not in requires  # never imported
    for imported in ("matplotlib", "jinja2"):  # imported by myoemg, so declared
        assert re.search(rf"^{imported}\b", requires.replace(" ", "\n"), re.MULTILINE)


def test_package_is_marked_typed():
    assert (Path(myoemg.__file__).parent / "py.typed").is_file()
