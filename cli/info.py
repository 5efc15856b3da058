"""``myoemg info``: what a recording holds and how myoemg reads it.

Channels, roles, rates, units, conversions, duration, events and metadata; identifying header
fields only with ``--identify``.
"""

from ._common import call_options, read_recording


def run(args):
    rec = read_recording(args, call_options(args))
    print(format_info(rec, identify=args.identify, wording=args.wording))
    return 0


def format_info(rec, *, identify=False, wording=str):
    """A plain-text description of a Recording (identifiers only if ``identify``).

    ``wording`` rewrites the conversion notes into the command line's flags.
    """
    sources = rec.source if isinstance(rec.source, (list, tuple)) else [rec.source]
    lines = [f"file: {' + '.join(str(s) for s in sources)}"]
    if rec.start_time is not None:
        lines.append(f"start: {rec.start_time.isoformat()}")
    lines.append(f"duration: {rec.duration_s:.3f} s; {len(rec.channels)} channels; "
                 f"{rec.n_events} events")
    chans = rec.channels
    lines.append(plain_table({
        "name": rec.ch_names, "kind": rec.kinds,
        "fs_hz": [f"{ch.fs:g}" for ch in chans], "unit": [ch.unit for ch in chans],
        "source_unit": ["-" if ch.source_unit == "" else ch.source_unit for ch in chans],
        "n_times": [ch.n_times for ch in chans],
        "start_s": [f"{ch.start_s:.6g}" for ch in chans],
        "duration_s": [f"{ch.duration_s:.3f}" for ch in chans]}, numeric={"n_times"}))
    emg, force = rec.pick("emg"), rec.pick("force")
    lines.append(f"EMG: {', '.join(c.name for c in emg) or 'none'}; "
                 f"force: {', '.join(c.name for c in force) or 'none'}")
    if rec.conversions:
        lines.append("conversions:")
        lines += [f"  {wording(c)}" for c in rec.conversions]
    if rec.metadata:
        lines.append("metadata: " + ", ".join(f"{k}={v}" for k, v in rec.metadata.items()))
    if identify and rec.identifiers:
        lines.append("identifiers: " + ", ".join(f"{k}={v}" for k, v in rec.identifiers.items()))
    if rec.n_events:
        counts = rec.events["description"].value_counts()
        shown = ", ".join(f"{d} x{n}" for d, n in counts.head(8).items())
        more = f", ... ({len(counts) - 8} more kinds)" if len(counts) > 8 else ""
        lines.append(f"events: {shown}{more}")
    return "\n".join(lines)


_ESCAPES = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def plain_table(columns, numeric=()):
    """Columns as text, laid out as ``DataFrame.to_string(index=False)`` lays them out.

    Without pandas (its import is most of the start-up time of ``myoemg info``): each column
    right-aligned to its widest cell, one space apart; tabs and line breaks in a cell shown
    escaped; the names of ``numeric`` columns get pandas' leading sign space.
    """
    laid = []
    for name, values in columns.items():
        cells = [str(v).translate(_ESCAPES) for v in values]
        head = f" {name}" if name in numeric else name
        width = max(len(head), *(len(c) for c in cells))
        laid.append([head.rjust(width)] + [c.rjust(width) for c in cells])
    return "\n".join(" ".join(row) for row in zip(*laid, strict=True))
