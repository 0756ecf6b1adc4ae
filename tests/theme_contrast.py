#!/usr/bin/python3
"""Colour-vision check of the viewer's themes (viewer/tui/theme.c).

Reads each theme's table of roles (foreground and background, as the
eight xterm colours) and checks under normal vision and, for the
colorblind theme, under simulated protanopia, deuteranopia and
tritanopia (Machado, Oliveira and Fernandes 2009, severity 1.0, applied
to linear RGB) that:
  - each role's text stands out from its own background (every theme), and
  - (the colorblind theme) each pair of roles that the screen must tell apart (the words grid's
    selected, focused and demux-key fields; a selection bar and plain
    rows; the two ladder labels; neighbouring layer shades; the status
    row and an error on it; the tabs) differs by at least MIN_DELTA_E in
    its foreground or its background (CIE 1976 Delta E in CIELAB).
The terminal's own colours (DEF) are taken as xterm's: light grey on black.
Prints one line per failure and exits 1 when there is one.
"""
import re
import sys

XTERM = {  # xterm's default palette for the eight ANSI colours
    "COLOR_BLACK": (0, 0, 0), "COLOR_RED": (205, 0, 0), "COLOR_GREEN": (0, 205, 0),
    "COLOR_YELLOW": (205, 205, 0), "COLOR_BLUE": (0, 0, 238), "COLOR_MAGENTA": (205, 0, 205),
    "COLOR_CYAN": (0, 205, 205), "COLOR_WHITE": (229, 229, 229),
}
DEFAULT_FG, DEFAULT_BG = "COLOR_WHITE", "COLOR_BLACK"

MACHADO = {  # severity 1.0, linear RGB
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}
# Pairs that must be told apart. Xterm's eight colours limit the choice:
# yellow against the default light grey is the closest pair left, 18.6
# under tritanopia; every pair also differs in its marks (*, >, letters).
MIN_DELTA_E = 15.0
MIN_TEXT_DELTA_E = 30.0  # text against its own background

# Roles shown side by side, which must look different.
PAIRS = [
    ("FIELD_SEL", "FOCUS"), ("FIELD_SEL", "DEMUX_KEY"), ("FOCUS", "DEMUX_KEY"),
    ("FIELD_SEL", "NORMAL"), ("FOCUS", "NORMAL"), ("DEMUX_KEY", "NORMAL"),
    ("LIST_SEL", "NORMAL"), ("LIST_SEL", "LIST_SEL_DIM"), ("LIST_SEL_DIM", "NORMAL"),
    ("MARK", "NORMAL"), ("HANDSHAKE", "NOTE"), ("STATUS", "ERROR"), ("TABS", "TAB_ACTIVE"),
    ("LAYER_1", "LAYER_2"), ("LAYER_2", "LAYER_3"), ("LAYER_3", "LAYER_4"),
    ("LAYER_4", "LAYER_5"), ("LAYER_5", "LAYER_6"), ("LAYER_6", "LAYER_1"),
]


def themes(source):
    """{theme: {role: (fg, bg)}} from theme.c's tables."""
    out = {}
    for m in re.finditer(r"static const struct role_style (\w+)_theme\[ROLE_COUNT\] = \{(.*?)\n\};",
                         source, re.S):
        roles = {}
        for r in re.finditer(r"\[ROLE_(\w+)\] = \{(\w+|DEF), (\w+|DEF),", m.group(2)):
            fg = DEFAULT_FG if r.group(2) == "DEF" else r.group(2)
            bg = DEFAULT_BG if r.group(3) == "DEF" else r.group(3)
            roles[r.group(1)] = (fg, bg)
        out[m.group(1)] = roles
    return out


def linear(c):
    c /= 255.0
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def simulate(rgb, matrix):
    lin = [linear(c) for c in rgb]
    if matrix is None:
        return lin
    return [max(0.0, min(1.0, sum(matrix[i][k] * lin[k] for k in range(3)))) for i in range(3)]


def lab(lin):
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e(a, b, matrix):
    la, lb = lab(simulate(XTERM[a], matrix)), lab(simulate(XTERM[b], matrix))
    return sum((p - q) ** 2 for p, q in zip(la, lb)) ** 0.5


def check(name, roles, vision, matrix, pairs):
    bad = []
    for role, (fg, bg) in sorted(roles.items()):
        d = delta_e(fg, bg, matrix)
        if d < MIN_TEXT_DELTA_E:
            bad.append(f"{name}, {vision}: {role} text on its background: Delta E {d:.1f}")
    for a, b in PAIRS if pairs else []:
        d = max(delta_e(roles[a][0], roles[b][0], matrix), delta_e(roles[a][1], roles[b][1], matrix))
        if d < MIN_DELTA_E:
            bad.append(f"{name}, {vision}: {a} and {b} look alike: Delta E {d:.1f}")
    return bad


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "viewer/tui/theme.c"
    table = themes(open(path, encoding="utf-8").read())
    if "colorblind" not in table or "default" not in table:
        print(f"FAIL: no colorblind or default theme table in {path}")
        return 1
    bad = []
    # Every theme: its text legible; the colorblind one: every pair apart too.
    for name, roles in table.items():
        bad += check(name, roles, "normal vision", None, name == "colorblind")
    for vision, matrix in MACHADO.items():
        bad += check("colorblind", table["colorblind"], vision, matrix, True)
    for line in bad:
        print("FAIL:", line)
    print(f"   {len(table)} themes; colorblind checked under {', '.join(MACHADO)}; "
          f"{len(bad)} failure(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
