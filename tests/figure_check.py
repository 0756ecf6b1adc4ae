#!/usr/bin/python3
"""Checks of `demux figure` SVGs that need a parser (tests/suites/figure.sh).

  figure_check.py values SVG EXPORT_JSON PACKET LAYER
      every field of LAYER in packet PACKET, as the export writes its text,
      is in the words figure: in its field's cell (name and value) or in
      the legend line "(x) name = text".
  figure_check.py safe SVG...
      each is well-formed XML with an <svg> root, a <title> and a <desc>,
      and holds no script, no event attribute (on...=), no href or src
      and no url() that is not a fragment (#id) of the figure itself.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def texts(root):
    return [(t.text or "") for t in root.iter(NS + "text")]


def check_values(svg, export, number, layer):
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        print(f"FAIL: {svg}: not well-formed: {e}")
        return 1
    lines = texts(root)
    doc = json.load(open(export))
    packet = next(p for p in doc["packets"] if p["number"] == int(number))
    fields = next(l for l in packet["layers"] if l["layer"] == layer)["fields"]
    bad = 0
    for f in fields:
        name, text = f["name"], f.get("text", str(f.get("value")))
        in_cell = name in lines and text in lines
        in_legend = any(re.fullmatch(r"\(.\) " + re.escape(name) + " = " + re.escape(text), l)
                        for l in lines)
        if not (in_cell or in_legend):
            print(f"FAIL: {svg}: field {name} = {text!r} not in the figure")
            bad += 1
    return bad


EVENT = re.compile(r"^on", re.I)


def check_safe(svg):
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        print(f"FAIL: {svg}: not well-formed: {e}")
        return 1
    bad = 0
    if root.tag != NS + "svg" or root.find(NS + "title") is None or root.find(NS + "desc") is None:
        print(f"FAIL: {svg}: no svg root with a title and a desc")
        bad += 1
    for el in root.iter():
        tag = el.tag.replace(NS, "")
        if tag.lower() in ("script", "foreignobject", "image", "a", "use", "iframe"):
            print(f"FAIL: {svg}: element <{tag}>")
            bad += 1
        for k, v in el.attrib.items():
            k = k.split("}")[-1]
            if EVENT.match(k) or k.lower() in ("href", "src"):
                print(f"FAIL: {svg}: attribute {k}={v!r}")
                bad += 1
            for ref in re.findall(r"url\(([^)]*)\)", v):
                if not ref.startswith("#"):
                    print(f"FAIL: {svg}: external reference url({ref})")
                    bad += 1
    raw = open(svg, encoding="utf-8").read()
    if re.search(r"<script", raw, re.I):
        print(f"FAIL: {svg}: <script")
        bad += 1
    return bad


def main():
    if sys.argv[1] == "values":
        return 1 if check_values(*sys.argv[2:6]) else 0
    bad = sum(check_safe(f) for f in sys.argv[2:])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
