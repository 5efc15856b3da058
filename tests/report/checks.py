"""Checks shared by the report tests: parse the HTML, prove it asks for nothing on a network."""

import re
from html.parser import HTMLParser

URL_ATTRS = ("src", "href", "xlink:href", "action", "data", "poster", "srcset", "formaction")


class Collector(HTMLParser):
    """Tags, URL-valued attributes, text, and how many <svg> sit inside another <svg>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.urls, self.text, self.attrs = [], [], [], []
        self.nested_svg, self._svg_depth = 0, 0
        self.styles, self._in_style = [], False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        self.urls += [v or "" for k, v in attrs if k in URL_ATTRS]
        if tag == "svg":
            self.nested_svg += self._svg_depth > 0
            self._svg_depth += 1
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append((tag, dict(attrs)))
        self.urls += [v or "" for k, v in attrs if k in URL_ATTRS]

    def handle_endtag(self, tag):
        if tag == "svg":
            self._svg_depth -= 1
        self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def parse(html):
    p = Collector()
    p.feed(html)
    p.close()
    return p


def assert_no_network(html):
    """Nothing the browser would fetch: every URL-valued attribute is ``data:`` (or an
    in-page ``#`` reference), no attribute value holds 'http' or '//', no ``<script src>``,
    ``<link href>``, ``<base>``, ``<iframe>`` or ``<object>``, and the CSS imports nothing.
    Escaped text that merely mentions a URL (an input's metadata) is not a request."""
    p = parse(html)
    for url in p.urls:
        assert url.startswith("data:") or url.startswith("#"), url[:80]
    for tag, attrs in p.attrs:
        assert tag not in ("script", "link", "base", "iframe", "object", "embed"), (tag, attrs)
        for key, value in attrs.items():
            value = str(value or "")
            if value.startswith("data:"):
                continue
            assert "http" not in value.lower() and "//" not in value, (tag, key, value[:80])
    css = " ".join(p.styles)
    assert "@import" not in css and "url(" not in css and "http" not in css
    assert not re.search(r"<script\b", html, re.I)
