"""``myoemg report``: analyse a recording and write its self-contained HTML report."""

from pathlib import Path

import myoemg

from ._common import call_options, read_recording


def run(args):
    options = call_options(args)
    rec = read_recording(args, options)
    result = myoemg.analyze(rec, **options.analyze)
    out = Path(args.out)
    path = out if out.suffix.lower() in (".html", ".htm") else out / "report.html"
    result.to_html(path, identify=options.save.get("identify", False))
    if not args.quiet:
        s = result.summary
        print(f"pattern: {s.pattern}; {s.grade.text if s.grade else 'no grade'}")
        print(f"wrote {path}")
    return 0
