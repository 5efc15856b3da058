"""Analyse a grip-relaxation recording and write its self-contained HTML report.

The report is de-identified unless --identify is given. Its severity grade is for research use;
it is not a validated clinical scale.
"""

from __future__ import annotations

from pathlib import Path

import myoemg

from ._common import add_recording_arguments, read_recording


def add_arguments(parser):
    add_recording_arguments(parser)
    parser.add_argument("--uln", type=float, metavar="SECONDS",
                        help="upper limit of normal of RT90-5 for your device, in s")
    parser.add_argument("--device-type", choices=["qma", "commercial", "simulated"],
                        help="use the documented default ULN of this device type")
    parser.add_argument("--identify", action="store_true",
                        help="keep and show identifying header fields (default: de-identified)")
    parser.add_argument("--out", required=True, metavar="DIR_OR_HTML",
                        help="output folder (report.html is written in it) or .html path")


def run(args):
    rec = read_recording(args, keep_identifiers=args.identify)
    grading = {}
    if args.uln is not None:
        grading["uln_rt90_5_s"] = args.uln
    if args.device_type:
        grading["device_type"] = args.device_type
    result = myoemg.analyze(rec, electrode=args.electrode, grading=grading or None)
    out = Path(args.out)
    path = out if out.suffix.lower() in (".html", ".htm") else out / "report.html"
    result.to_html(path, identify=args.identify)
    if not args.quiet:
        s = result.summary
        print(f"pattern: {s.pattern}; {s.grade.text if s.grade else 'no grade'}")
        print(f"wrote {path}")
    return 0
