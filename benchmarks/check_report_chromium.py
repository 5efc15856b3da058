"""Open reports in headless Chromium as a reader would: screenshot at 1280 px, print to A4 PDF.

Four sessions: a warm-up session (two EMG channels, one with a long name), a session with
concurrent units (the decomposition's spikes and templates tables), a needle session recorded
with a device the grading does not know (provisional grade) and an EMG-only session. For each,
a copy of the report with a measuring script appended (the report itself has no script) is
loaded once to find tables wider than the page and SVG text outside its figure; then the
report is screenshotted at 1280 px and printed to PDF, whose pages are counted (pdfinfo).

Needs Debian's chromium and poppler-utils. Run:
python benchmarks/check_report_chromium.py [--out DIR]
"""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import myoemg
from myoemg.recording import Recording
from myoemg.report import write_html
from myoemg.sim import simulate_session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.report.units_session import units_session  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         "--hide-scrollbars", "--no-pdf-header-footer"]
MEASURE = """<script>
window.addEventListener('load', () => {
  const W = document.documentElement.clientWidth, out = {wide: [], outside: []};
  document.querySelectorAll('table').forEach((t, i) => {
    const r = t.getBoundingClientRect();
    if (r.right > W + 0.5) out.wide.push([i, Math.round(r.width)]);
  });
  document.querySelectorAll('svg.fig').forEach((s, i) => {
    const vb = s.viewBox.baseVal;
    s.querySelectorAll('text').forEach(t => {
      const b = t.getBBox();
      let x = b.x, y = b.y, el = t.parentNode;
      while (el && el !== s) {
        if (el.x && el.x.baseVal && el.x.baseVal.value !== undefined) {
          x += el.x.baseVal.value; y += el.y.baseVal.value; }
        const m = el.transform && el.transform.baseVal.consolidate();
        if (m) { x += m.matrix.e; y += m.matrix.f; }
        el = el.parentNode; }
      if (!t.getAttribute('transform') && (x < -1 || x + b.width > vb.width + 1))
        out.outside.push([i, t.textContent.slice(0, 40)]);
    });
  });
  out.height = document.documentElement.scrollHeight;
  const pre = document.createElement('pre'); pre.id = 'check';
  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
});
</script>"""


def sessions():
    """(name, Analysis) of the four sessions."""
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=500.0, n_trials=6, pattern="warm-up",
                              n_emg=2, seed=11)
    rec.channels[1].name = "prox_EMG flexor digitorum profundus"
    yield "warmup", myoemg.analyze(rec)
    yield "units", units_session(n_trials=3)[0]
    rec, _ = simulate_session(fs_emg=24000.0, fs_force=200.0, n_trials=3, pattern="warm-up",
                              electrode="needle", seed=12)
    rec.metadata["device"] = "GripLab 7"  # not a device type the grading knows
    yield "needle", myoemg.analyze(rec)
    rec, _ = simulate_session(fs_emg=2000.0, fs_force=200.0, n_trials=3, pattern="steady",
                              seed=13)
    emg_only = Recording([c for c in rec.channels if c.kind == "emg"], metadata=rec.metadata,
                         source="simulated EMG only")
    yield "emg_only", myoemg.analyze(emg_only)


def chromium(*args):
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([exe, *FLAGS, f"--user-data-dir={profile}", *args],
                             capture_output=True, text=True, timeout=300)
    return out.stdout


def check(name, analysis, out):
    html = write_html(analysis, out / f"{name}.html")
    probe = out / f"{name}_probe.html"
    probe.write_text(html.read_text(encoding="utf-8").replace("</body>", MEASURE + "</body>"),
                     encoding="utf-8")
    dom = chromium("--window-size=1280,2000", "--virtual-time-budget=20000", "--dump-dom",
                   probe.as_uri())
    found = re.search(r'<pre id="check">(.*?)</pre>', dom, re.S)
    probe.unlink()
    result = json.loads(found.group(1).replace("&quot;", '"')) if found else {}
    height = min(int(result.get("height", 4000)), 16000)
    chromium(f"--window-size=1280,{height}", f"--screenshot={out / (name + '.png')}",
             html.as_uri())
    pdf = out / f"{name}.pdf"
    chromium(f"--print-to-pdf={pdf}", html.as_uri())
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1)) if "Pages" in info else -1
    return {"session": name, "html_mb": round(html.stat().st_size / 1e6, 2), "height_px": height,
            "tables_wider_than_1280": result.get("wide"), "text_outside_figures":
            result.get("outside"), "pdf_pages": pages}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(Path(tempfile.gettempdir()) / "myoemg_report"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, analysis in sessions():
        print(json.dumps(check(name, analysis, out)))
    print(f"screenshots and PDFs in {out} (pdftoppm -png -r 60 FILE.pdf PREFIX to look at pages)")


if __name__ == "__main__":
    main()
