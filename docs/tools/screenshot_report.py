"""Screenshot the report of the bundled warm-up sample for the docs (docs/_static/report.png).

Analyses ``myoemg.datasets.sample("warmup")``, writes its ``report.html`` to a temporary folder,
opens it in headless Chromium (Debian's ``chromium``: ``apt-get install -y chromium``) at
1280 × 1600 px, and saves the top of the page, scaled to 1000 px wide, as an optimised PNG
(about 150 KiB), so the committed picture stays small. Run it again when the report's look
changes::

    python docs/tools/screenshot_report.py [--out docs/_static/report.png]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

import myoemg

OUT = Path(__file__).resolve().parents[1] / "_static" / "report.png"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars"]
WINDOW = (1280, 1600)
WIDTH = 1000  # px of the saved picture


def main(argv=None):
    """Write the screenshot; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("chromium not found: apt-get install -y chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        res = myoemg.analyze(myoemg.read(myoemg.datasets.sample("warmup")))
        html = res.to_html(tmp / "report.html")
        shot = tmp / "shot.png"
        subprocess.run([chromium, *FLAGS, f"--user-data-dir={tmp / 'profile'}",
                        f"--window-size={WINDOW[0]},{WINDOW[1]}", f"--screenshot={shot}",
                        html.as_uri()], check=True, capture_output=True, timeout=120)
        image = Image.open(shot).convert("RGB")
        height = round(image.height * WIDTH / image.width)
        image = image.resize((WIDTH, height), Image.LANCZOS)
        image = image.quantize(colors=128, method=Image.Quantize.MEDIANCUT, dither=Image.NONE)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        image.save(args.out, optimize=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KiB, {WIDTH}x{height} px)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
