#!/usr/bin/env python3
"""Check the numbers a screen of the viewer shows against the decoder's.

    screen_numbers.py EXPORT.json list|ladder SEEN SCREEN...

EXPORT.json is `demux export FILE`; each SCREEN a capture-pane of the
viewer showing the packet list (list) or the ladder (ladder). Every row of that
view on the screen is read back and each number on it (packet number, time,
sockets, the summary's numbers; the ladder's seq, ack, len and handshake
step) must equal the decoder's value for that packet: a number cut by the
layout ("len 4" for 488, "~.168.0.114.1060") fails. Text may be shortened
only with a mark ("…", or "~" on a terminal without UTF-8), and a run of
words may be left out only as a mark. The packet numbers of the rows read
are written to the file SEEN (one a line), so the caller can tell that a walk
through the trace covered every row. Prints one line per fault; exits 1
when there is one.
"""
import datetime
import json
import re
import sys

MARKS = ("\u2026", "~")


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ").replace(
        tzinfo=datetime.timezone.utc)


def reltime(p, t0):
    d = parse_time(p["time"]) - t0
    us = d.days * 86400 * 1000000 + d.seconds * 1000000 + d.microseconds
    sign = "-" if us < 0 else ""
    us = abs(us)
    return "%s%d.%06d" % (sign, us // 1000000, us % 1000000)


def field(p, layer, name):
    for l in p["layers"]:
        if l["layer"] == layer:
            for f in l["fields"]:
                if f["name"] == name:
                    return f
    return None


def layer(p, name):
    for l in p["layers"]:
        if l["layer"] == name:
            return l
    return None


def payload_length(p):
    """The transport payload's length, from the IP lengths and the headers."""
    udp = layer(p, "udp")
    if udp:
        return field(p, "udp", "length")["value"] - 8
    tcp = layer(p, "tcp")
    if not tcp:
        return 0
    if layer(p, "ipv4"):
        total = field(p, "ipv4", "total_length")["value"]
        return total - field(p, "ipv4", "ihl")["value"] * 4 - tcp["length"]
    ip6 = layer(p, "ipv6")
    total = field(p, "ipv6", "payload_length")["value"]
    names = [l["layer"] for l in p["layers"]]
    between = p["layers"][names.index("ipv6") + 1:names.index("tcp")]
    return total - sum(l["length"] for l in between) - tcp["length"]


def has_digit(w):
    return any(c.isdigit() for c in w)


def matches(screen, words):
    """Whether screen is the words joined by spaces, with runs of whole
    words left out as a mark and, at most once, a word with no digit cut
    to a prefix and a mark (which, ending the screen, also stands for the
    words after it)."""
    pieces = screen.split(" ") if screen else []

    def go(i, j, cut):
        if i == len(pieces):
            return j == len(words)
        piece = pieces[i]
        if piece in MARKS:  # a run of at least one word left out
            return any(go(i + 1, k, cut) for k in range(j + 1, len(words) + 1))
        if j == len(words):
            return False
        if piece == words[j] and go(i + 1, j + 1, cut):
            return True
        if not cut and piece[-1:] in MARKS and not has_digit(words[j]):
            head = piece[:-1]
            if head and words[j].startswith(head) and head != words[j]:
                # The last piece on screen: its mark also stands for the
                # words after it, all left out.
                return go(i + 1, j + 1, True) or i + 1 == len(pieces)
        return False

    return go(0, 0, False)


class Checker:
    def __init__(self, export):
        d = json.load(open(export))
        self.packets = {p["number"]: p for p in d["packets"]}
        self.t0 = parse_time(d["packets"][0]["time"]) if d["packets"] else None
        self.faults = []
        self.seen = set()

    def fault(self, row, what):
        self.faults.append("%s\n    | %s" % (what, row))

    def packet(self, row, num):
        p = self.packets.get(int(num))
        if p is None:
            self.fault(row, "no packet %s in the trace" % num)
        else:
            self.seen.add(int(num))
        return p

    def no_cut_number(self, row):
        # A digit beside a mark is a number cut by the layout.
        if re.search(r"[0-9][\u2026~]|[\u2026~][0-9]", row):
            self.fault(row, "a number is cut (a digit beside the mark)")

    def addresses(self, p):
        out = set()
        sp = p.get("socket_pair")
        if sp:
            out |= {sp["src"], sp["dst"]}
        for l in p["layers"]:
            for f in l["fields"]:
                if f["name"] in ("src", "dst", "sender_ip", "target_ip"):
                    out.add(f["text"])
        return out

    # ---- The packet list -------------------------------------------------------------
    def list_screen(self, lines):
        head = next((i for i, l in enumerate(lines) if re.match(r"^ *No\. ", l)), None)
        if head is None:
            self.faults.append("no list header on the screen")
            return
        h = lines[head]
        cols = {name: h.find(name) for name in ("Time", "Source", "Destination", "Proto", "Summary")}
        for row in lines[head + 1:]:
            m = re.match(r"^ *([0-9]+) ", row)
            if not m:
                break
            self.list_row(row, cols, m.group(1))

    def list_row(self, row, cols, num):
        p = self.packet(row, num)
        if p is None:
            return
        self.no_cut_number(row)

        def column(start, end):
            return row[start:end].strip() if start >= 0 else None

        ends = sorted(v for v in cols.values() if v >= 0) + [len(row)]
        nxt = lambda c: min(e for e in ends if e > cols[c])
        # The number and the time are right-aligned: the time ends where
        # its header does, and starts after the number.
        time = None
        if cols["Time"] >= 0:
            time = row[len(num) + row.find(num):cols["Time"] + 4].strip()
        if time is not None and time != reltime(p, self.t0):
            self.fault(row, "packet %s: time %s, the decoder's %s" % (num, time, reltime(p, self.t0)))
        for c in ("Source", "Destination"):
            if cols[c] < 0:
                continue
            got = column(cols[c], nxt(c))
            if got and got not in self.addresses(p):
                self.fault(row, "packet %s: %s %r is none of the decoder's %s" %
                           (num, c, got, sorted(self.addresses(p))))
        summary = row[cols["Summary"]:].rstrip()
        if not matches(summary, p["summary"].split(" ")):
            self.fault(row, "packet %s: summary %r is not the decoder's %r shortened by whole words" %
                       (num, summary, p["summary"]))

    # ---- The ladder --------------------------------------------------------------------
    def ladder_screen(self, lines):
        sockets = set()
        for p in self.packets.values():
            sp = p.get("socket_pair")
            if sp:
                sockets |= {sp["src"], sp["dst"]}
        for row in lines:
            m = re.match(r"^ *(client|server) (\S+) *$", row)
            if m and m.group(2) not in sockets:
                self.fault(row, "the %s socket %r is none of the trace's" % m.groups())
            m = re.match(r"^ *([0-9]+) +(?:([0-9]+\.[0-9]{6}) +)?\|(.*)\|(.*)$", row)
            if m:
                self.ladder_row(row, *m.groups())

    def ladder_row(self, row, num, time, arrow, right):
        p = self.packet(row, num)
        if p is None:
            return
        self.no_cut_number(row)
        if time is not None and time != reltime(p, self.t0):
            self.fault(row, "packet %s: time %s, the decoder's %s" % (num, time, reltime(p, self.t0)))
        label = re.sub(r"^(<-|--)", "", arrow)
        label = re.sub(r"-*>?$", "", label)
        ta = p.get("tcp_analysis")
        words = []
        if ta is not None:
            flags = re.search(r"\((.*)\)", field(p, "tcp", "flags")["text"])
            words += flags.group(1).split(" ") if flags else []
            words += ["seq", str(ta["relative_seq"])]
            if "relative_ack" in ta:
                words += ["ack", str(ta["relative_ack"])]
        words += ["len", str(payload_length(p))]
        if not matches(label, words):
            self.fault(row, "packet %s: arrow %r is not the decoder's %r shortened by whole words" %
                       (num, label, " ".join(words)))
        if "[" in label and "]" not in label:
            self.fault(row, "packet %s: flags split" % num)
        want = ""
        if ta and "handshake_step" in ta:
            want = "handshake %d: %s" % (ta["handshake_step"], ta["handshake"])
        if ta and "notes" in ta:
            want += ("; " if want else "") + ta["notes"]
        right = right.strip()
        if right and not matches(right, want.split(" ")):
            self.fault(row, "packet %s: label %r is not the decoder's %r" % (num, right, want))


def main():
    export, kind, seen = sys.argv[1:4]
    c = Checker(export)
    for screen in sys.argv[4:]:
        lines = open(screen, encoding="utf-8", errors="replace").read().split("\n")
        before = len(c.faults)
        (c.list_screen if kind == "list" else c.ladder_screen)(lines)
        c.faults[before:] = ["%s: %s" % (screen.rsplit("/", 1)[-1], f) for f in c.faults[before:]]
    with open(seen, "w") as f:
        for n in sorted(c.seen):
            f.write("%d\n" % n)
    for f in c.faults:
        print(f)
    sys.exit(1 if c.faults else 0)


if __name__ == "__main__":
    main()
