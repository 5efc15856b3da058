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
                 f"{len(rec.events)} events")
    table = rec.describe()
    table["fs_hz"] = table["fs_hz"].map(lambda v: f"{v:g}")
    table["duration_s"] = table["duration_s"].map(lambda v: f"{v:.3f}")
    table["start_s"] = table["start_s"].map(lambda v: f"{v:.6g}")
    table["source_unit"] = table["source_unit"].replace("", "-")
    lines.append(table.to_string(index=False))
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
    if len(rec.events):
        counts = rec.events["description"].value_counts()
        shown = ", ".join(f"{d} x{n}" for d, n in counts.head(8).items())
        more = f", ... ({len(counts) - 8} more kinds)" if len(counts) > 8 else ""
        lines.append(f"events: {shown}{more}")
    return "\n".join(lines)
