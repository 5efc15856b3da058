"""Layer 6: the self-contained HTML report of one analysis, and its audio.

One file, no network needed to view it: figures are inline SVG written by :mod:`myoemg.viz`,
audio clips are ``data:`` URIs, styles are inline, and there are no scripts or external
links. The template is rendered by jinja2 with autoescaping on, so every string that comes
from an input file (file and channel names, metadata, notes) is HTML-escaped. The report is
de-identified by default: identifying header fields (``Recording.identifiers``: patient name,
birth date, ...) are not shown, and any occurrence of them in other strings (file name,
channel names, metadata) is replaced by ``[redacted]``, in the text, the figures and the
audio file names.
"""

from .html import render_html, write_audio, write_html
from .scrub import REDACTED

__all__ = ["REDACTED", "render_html", "write_audio", "write_html"]
