"""Show what a recording holds and how myoemg reads it (never identifiers).

Channels, roles, rates, units, conversions, duration, events and metadata.
"""

from __future__ import annotations

import myoemg


def add_arguments(parser):
    parser.add_argument("recording", help="recording file (EDF, BDF, CSV, WFDB .hea, ...) or a "
                        "BIDS folder")
    parser.add_argument("--force", dest="force_file", metavar="FORCE",
                        help="separate dynamometer file (CSV/TSV) to pair with the recording")
    parser.add_argument("--force-channel", metavar="NAME", help="force channel name")
    parser.add_argument("--emg", action="append", metavar="NAME",
                        help="EMG channel (repeat for several)")
    parser.add_argument("--force-unit", metavar="UNIT", help="unit of the force: N, kgf, lbf")
    parser.add_argument("--force-calibration", type=float, metavar="N_PER_UNIT",
                        help="newtons per unit of an uncalibrated force channel")
    parser.add_argument("--fs", type=float, metavar="HZ",
                        help="sampling rate of a text export without time column")
    parser.add_argument("--align", choices=["start_time", "xcorr", "none"],
                        default="start_time", help="how to align a separate force file")


def run(args):
    options = {"fs": args.fs} if getattr(args, "fs", None) else {}
    rec = myoemg.read(args.recording, force=getattr(args, "force_file", None),
                      force_channel=getattr(args, "force_channel", None),
                      emg=getattr(args, "emg", None),
                      force_unit=getattr(args, "force_unit", None),
                      force_calibration=getattr(args, "force_calibration", None),
                      align=getattr(args, "align", "start_time"), **options)
    print(format_info(rec))
    return 0


def format_info(rec):
    """A plain-text description of a Recording (no identifying fields)."""
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
        lines += [f"  {c}" for c in rec.conversions]
    meta = {k: v for k, v in rec.metadata.items()}
    if meta:
        lines.append("metadata: " + ", ".join(f"{k}={v}" for k, v in meta.items()))
    if len(rec.events):
        counts = rec.events["description"].value_counts()
        shown = ", ".join(f"{d} x{n}" for d, n in counts.head(8).items())
        more = f", ... ({len(counts) - 8} more kinds)" if len(counts) > 8 else ""
        lines.append(f"events: {shown}{more}")
    return "\n".join(lines)
