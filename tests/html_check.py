#!/usr/bin/python3
"""Checks of a lesson's HTML page (demux lesson --export html), for tests/suites/lesson_html.sh.

  html_check.py page FILE.html STEPS QUESTIONS   the file as written: one figure per step, each with
                                                 its alt text, answers in <details>, unique ids, and
                                                 nothing that loads or runs anything
  html_check.py dom DOM.html STEPS               the DOM Chromium built (--dump-dom): the same figures
  html_check.py png FILE.png MIN                 a screenshot with at least MIN pixels not white;
                                                 prints its width and height
  html_check.py net NETLOG.json                  Chromium's net log: no request made by the page
                                                 (the browser's own update checks are not the page's)
Each prints what is wrong, one line each, and exits 1 when anything is.
"""
import html.parser
import json
import re
import struct
import sys
import zlib


class Page(html.parser.HTMLParser):
    """The figures of a page: per <figure class="view">, what alt text it has."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.figures = []  # per figure: {"svg", "title", "desc", "pre", "caption"} -> text
        self.stack = []
        self.ids = []
        self.details = 0
        self.problems = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event attribute {name} on <{tag}>")
            if name in ("href", "src", "xlink:href", "action", "srcset", "data") and value \
                    and not value.startswith("#"):
                self.problems.append(f"external reference {name}={value!r} on <{tag}>")
        if tag in ("script", "iframe", "object", "embed", "link", "img", "image", "foreignobject"):
            self.problems.append(f"<{tag}> in the page")
        if tag == "figure" and "view" in (a.get("class") or ""):
            self.figures.append({})
        if tag == "details":
            self.details += 1
        if self.figures and tag in ("svg", "pre"):
            self.figures[-1][tag] = True
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self.figures and self.stack and self.stack[-1] in ("title", "desc", "figcaption"):
            key = self.stack[-1]
            self.figures[-1][key] = self.figures[-1].get(key, "") + data


def figures_ok(page, steps):
    wrong = list(page.problems)
    if len(page.figures) != steps:
        wrong.append(f"{len(page.figures)} figures for {steps} steps")
    for n, f in enumerate(page.figures, 1):
        if not f.get("figcaption", "").strip():
            wrong.append(f"figure {n} has no caption")
        if f.get("svg") and not (f.get("title", "").strip() and f.get("desc", "").strip()):
            wrong.append(f"figure {n}: its SVG has no <title> and <desc> (alt text)")
        if not f.get("svg") and not f.get("pre"):
            wrong.append(f"figure {n} is neither an SVG nor a text")
    dup = {i for i in page.ids if page.ids.count(i) > 1}
    if dup:
        wrong.append(f"ids used twice: {sorted(dup)[:5]}")
    return wrong


def check_page(path, steps, questions):
    text = open(path, encoding="utf-8").read()
    page = Page()
    page.feed(text)
    wrong = figures_ok(page, steps)
    if page.details != questions:
        wrong.append(f"{page.details} <details> for {questions} questions")
    for m in re.finditer(r"url\(\s*['\"]?([^)'\"]*)", text):
        if not m.group(1).startswith("#"):
            wrong.append(f"url({m.group(1)}) refers outside the page")
    if re.search(r"@import|<script|javascript:", text, re.I):
        wrong.append("@import, <script or javascript: in the page")
    if "@media print" not in text:
        wrong.append("no print stylesheet")
    if "Content-Security-Policy" not in text:
        wrong.append("no Content-Security-Policy")
    return wrong


def check_dom(path, steps):
    page = Page()
    page.feed(open(path, encoding="utf-8").read())
    return figures_ok(page, steps)


def png_pixels(path):
    """(width, height, pixels not white) of an 8-bit RGB or RGBA PNG."""
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    at, idat, head = 8, b"", None
    while at < len(data):
        n, kind = struct.unpack(">I4s", data[at:at + 8])
        body = data[at + 8:at + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    width, height, depth, colour = head[:4]
    if depth != 8 or colour not in (2, 6):
        raise ValueError(f"PNG of depth {depth}, colour type {colour}: only 8-bit RGB(A) read")
    bpp = 3 if colour == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    prev, inked, at = bytearray(stride), 0, 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, corner = prev[i], prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 255
            elif kind == 2:
                line[i] = (line[i] + up) & 255
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 255
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
        for i in range(0, stride, bpp):
            if line[i] < 240 or line[i + 1] < 240 or line[i + 2] < 240:
                inked += 1
        prev = line
    return width, height, inked


def check_net(path):
    log = json.load(open(path, encoding="utf-8"))
    types = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    wrong = []
    for e in log["events"]:
        p = e.get("params", {})
        if types.get(e["type"]) != "URL_REQUEST_START_JOB" or "url" not in p:
            continue
        # The browser's own requests (update checks) have no origin; the page's have its own.
        if p.get("initiator") != "not an origin" or "file://" in p.get("network_isolation_key", ""):
            wrong.append(f"the page asked for {p.get('url')}")
    return wrong


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    what = argv[1]
    if what == "page":
        wrong = check_page(argv[2], int(argv[3]), int(argv[4]))
    elif what == "dom":
        wrong = check_dom(argv[2], int(argv[3]))
    elif what == "png":
        w, h, inked = png_pixels(argv[2])
        print(w, h)
        wrong = [] if inked >= int(argv[3]) else [f"{inked} pixels not white, wanted {argv[3]}"]
    elif what == "net":
        wrong = check_net(argv[2])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for line in wrong:
        print(f"{argv[2]}: {line}")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
