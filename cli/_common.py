"""The options shared by the subcommands that read and analyse recordings, in one place.

Each ``add_*`` function adds one group of options to a parser (argparse only: building the
parser imports nothing heavy); :func:`call_options` maps the parsed options to the keyword
arguments of :func:`myoemg.read`, :func:`myoemg.analyze` and :meth:`myoemg.Analysis.save`, so
``analyze``, ``report``, ``info`` and ``batch`` mean the same by the same flag. An option the
user did not give is left out, so the library's default applies.
"""

import argparse
import math
from dataclasses import dataclass, field

ALIGN_METHODS = ("start_time", "xcorr", "none")  # myoemg.io.ALIGN_METHODS (checked by a test)
DEVICE_TYPES = ("qma", "commercial", "simulated")  # keys of myoemg.grading.DEVICE_ULN (test)
MAINS_CHOICES = ("auto", "50", "60", "none")


def _finite(text):
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _positive(text):
    value = _finite(text)
    if value <= 0:
        raise ValueError(text)
    return value


_finite.__name__ = "number"  # argparse says "invalid number value: 'x'"
_positive.__name__ = "positive number"


def add_channel_arguments(parser, *, each_file=False, electrode=True):
    """``--emg``, ``--force-channel`` and (to analyse) ``--electrode``: which channels."""
    parser.add_argument("--emg", action="append", metavar="NAME",
                        help="EMG channel to analyse (repeat for several)")
    parser.add_argument("--force-channel", metavar="NAME", help="force channel name")
    if electrode:
        where = "each file" if each_file else "the file"
        parser.add_argument("--electrode", choices=["surface", "needle"],
                            help=f"EMG electrode type (default: from {where}, else surface)")


def add_reading_arguments(parser):
    """Units, calibration, rate and alignment: how to read what the file does not say."""
    group = parser.add_argument_group("reading")
    group.add_argument("--force-unit", metavar="UNIT",
                       help="unit of the force when the file does not say it: N, kgf or lbf")
    group.add_argument("--force-calibration", type=_finite, metavar="N_PER_UNIT",
                       help="newtons per unit of a force recorded in volts or counts "
                            "(negative also flips a negative-going trace)")
    group.add_argument("--emg-calibration", type=_positive, metavar="V_PER_UNIT",
                       help="volts per unit of EMG recorded in counts (WAV, text exports)")
    group.add_argument("--fs", type=_positive, metavar="HZ",
                       help="sampling rate of a text export without a time column")
    group.add_argument("--offset-s", type=_finite, metavar="SECONDS",
                       help="where t = 0 of the separate force file falls on the EMG "
                            "file's clock")
    group.add_argument("--align", choices=ALIGN_METHODS,
                       help="how to align a separate force file when --offset-s is not "
                            "given (default start_time)")
    group.add_argument("--identify", action="store_true",
                       help="keep and show identifying header fields (default: "
                            "de-identified)")


def add_analysis_arguments(parser):
    """Mains, grading and discharges: how to analyse."""
    group = parser.add_argument_group("analysis")
    group.add_argument("--mains-hz", choices=MAINS_CHOICES, metavar="{auto,50,60,none}",
                       help="mains frequency to remove from the EMG (default auto: 50 or "
                            "60 Hz, detected)")
    group.add_argument("--uln", type=_positive, metavar="SECONDS",
                       help="upper limit of normal of RT90-5 for your device, in s (grades "
                            "against it)")
    group.add_argument("--device-type", choices=DEVICE_TYPES,
                       help="grade against the documented default ULN of this device type")
    group.add_argument("--no-discharges", action="store_true",
                       help="skip myotonic-discharge detection")


def add_bids_arguments(parser, *, each_file=False):
    """``--bids-derivatives`` / ``--no-bids-derivatives``: name the outputs the BIDS way."""
    what = "each BIDS-EMG input" if each_file else "a BIDS-EMG input"
    parser.add_argument("--bids-derivatives", action=argparse.BooleanOptionalAction,
                        help="write the outputs as a BIDS derivative dataset, "
                             "OUT/derivatives/myoemg, named by the input's entities (default: "
                             f"yes for {what}; any other input needs a subject code in its "
                             "header)")


def add_recording_arguments(parser, *, analysed=True):
    """The recording, an optional separate force file, and how to read them.

    ``analysed=False`` (``info``): without ``--electrode``, which only the analysis uses.
    """
    parser.add_argument("recording", help="EMG/force recording (EDF, BDF, CSV, ...) or a "
                        "BIDS folder")
    parser.add_argument("--force", dest="force_file", metavar="FORCE_FILE",
                        help="separate dynamometer file (CSV/TSV) to align with the recording")
    add_channel_arguments(parser, electrode=analysed)
    add_reading_arguments(parser)


@dataclass
class CallOptions:
    """Keyword arguments for :func:`myoemg.read`, :func:`myoemg.analyze` and ``save``."""

    read: dict = field(default_factory=dict)
    analyze: dict = field(default_factory=dict)
    save: dict = field(default_factory=dict)

    def flat(self):
        """All of them in one dict: the per-file options of :func:`myoemg.batch`."""
        return {**self.read, **self.analyze, **self.save}


def _given(args, names):
    return {api: getattr(args, dest) for dest, api in names.items()
            if getattr(args, dest, None) is not None}


def call_options(args):
    """Map the parsed options to :class:`CallOptions` (options not given are left out)."""
    options = CallOptions()
    options.read = _given(args, {"force_file": "force", "emg": "emg",
                                 "force_channel": "force_channel", "force_unit": "force_unit",
                                 "force_calibration": "force_calibration",
                                 "emg_calibration": "emg_calibration", "fs": "fs",
                                 "offset_s": "offset_s", "align": "align"})
    options.analyze = _given(args, {"electrode": "electrode"})
    if getattr(args, "identify", False):
        options.read["keep_identifiers"] = True
        options.save["identify"] = True
    mains = getattr(args, "mains_hz", None)
    if mains is not None:
        options.analyze["mains_hz"] = (mains if mains == "auto" else None if mains == "none"
                                       else float(mains))
    grading = _given(args, {"uln": "uln_rt90_5_s", "device_type": "device_type"})
    if grading:
        options.analyze["grading"] = grading
    if getattr(args, "no_discharges", False):
        options.analyze["detect"] = False
    if getattr(args, "no_report", False):
        options.save["report"] = False
    if getattr(args, "bids_derivatives", None) is not None:
        options.save["bids_derivatives"] = args.bids_derivatives
    return options


#: Options of :func:`myoemg.read` that only some formats take -> their flags.
FORMAT_FLAGS = {"fs": "--fs", "emg_calibration": "--emg-calibration"}


def read_recording(args, options):
    """``myoemg.read(args.recording, **options.read)``.

    A format option that does not apply to the file (``--fs`` for an EDF) is a usage error
    naming the flag (exit 64), not a bug.
    """
    import myoemg

    try:
        return myoemg.read(args.recording, **options.read)
    except TypeError as err:
        flags = [flag for api, flag in FORMAT_FLAGS.items()
                 if api in options.read and repr(api) in str(err)]
        if not flags or "do not apply to" not in str(err):
            raise
        from pathlib import Path

        from ._exit import UsageError

        one = len(flags) == 1
        raise UsageError(f"{' and '.join(flags)} {'does' if one else 'do'} not apply to "
                         f"{Path(args.recording).name} (its format says it itself); leave "
                         f"{'it' if one else 'them'} out.") from err
