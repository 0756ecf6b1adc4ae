#!/bin/sh
# demux lesson --export html, and --export md -o DIR/ with its figures.
#   - every lesson's page is well-formed (xmllint: the page is written as
#     XHTML-compatible HTML), has one figure per step with its alt text, a
#     <details> per question, unique ids, a print stylesheet, and nothing
#     that loads or runs anything (tests/html_check.py page);
#   - one lesson (03) is rendered once by headless Chromium, in a network
#     namespace of its own (unshare -n) so that nothing can leave: the
#     screenshot is not blank and as large as the reference kept in
#     tests/golden/html/lesson-03.png for a person to look at, the DOM
#     Chromium built has the same figures, and its net log shows no request
#     made by the page; a page with an external image is caught by the same
#     check, so the check can fail;
#   - md -o DIR/ writes the handout and an SVG for each linked figure, all
#     well-formed; md -o FILE.md keeps its ASCII diagrams, without figures.
# DEMUX_HTML_UPDATE=1 rewrites the reference screenshot.
. tests/lib.sh
PY=/usr/bin/python3
CHECK=tests/html_check.py
for tool in xmllint chromium unshare; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        fail "$tool is missing: sh .ci/deps test installs it"
        finish
        exit 1
    fi
done

# counts LESSON: "STEPS QUESTIONS" of a lesson, from its JSON export.
counts() {
    "$DEMUX" lesson "$1" --export json |
        $PY -c 'import json,sys; s=json.load(sys.stdin)["steps"]; print(len(s), sum(1 for t in s if t["question"]))'
}

# ---- every lesson's page, as written -----------------------------------------------------------
for l in lessons/*.lesson; do
    b=$(basename "$l" .lesson)
    if ! "$DEMUX" lesson "$l" --export html -o "$TMP/$b.html" 2>"$TMP/err"; then
        fail "$b: --export html failed: $(head -1 "$TMP/err")"
        continue
    fi
    xmllint --noout "$TMP/$b.html" 2>"$TMP/xml" && pass || { fail "$b.html is not well-formed"; head -3 "$TMP/xml"; }
    set -- $(counts "$l")
    $PY $CHECK page "$TMP/$b.html" "$1" "$2" && pass || fail "$b.html: see above"
done
ls "$TMP"/*.demux-* >/dev/null 2>&1 && fail "a temporary file was left behind" || pass

# ---- capture bytes that look like markup stay text --------------------------------------------
# One telnet segment whose payload is markup, in a lesson with every view.
$PY - "$TMP/markup.pcap" <<'PY'
import struct, sys
payload = b'<script>alert(1)</script><img src="http://example.invalid/x" onerror="x()">&amp;\x1b]0;t\x07'
tcp = struct.pack(">HHIIBBHHH", 1025, 23, 1, 1, 5 << 4, 0x18, 512, 0, 0)
ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp) + len(payload), 1, 0, 64, 6, 0,
                 bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
frame = b"\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\x08\x00" + ip + tcp + payload
with open(sys.argv[1], "wb") as f:
    f.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
    f.write(struct.pack("<IIII", 1, 0, len(frame), len(frame)) + frame)
PY
{
    echo "title: <b>markup</b> & \"quotes\""
    echo "trace: markup.pcap"
    for v in words path ladder sockets tree stream bytes; do
        printf '\nstep: %s <i>\npacket 1\nview %s\nThe payload is `<script>`.\nquestion: <q>?\nanswer: <a href="http://x">a</a>\n' "$v" "$v"
    done
} >"$TMP/markup.lesson"
if "$DEMUX" lesson "$TMP/markup.lesson" --export html -o "$TMP/markup.html" 2>"$TMP/err"; then
    xmllint --noout "$TMP/markup.html" 2>/dev/null && pass || fail "markup.html is not well-formed"
    $PY $CHECK page "$TMP/markup.html" 7 7 && pass || fail "markup in the capture or the lesson reached the page"
    grep -q '&lt;script&gt;alert(1)' "$TMP/markup.html" && pass || fail "the payload is not shown, escaped"
else
    fail "a lesson over markup.pcap: $(head -1 "$TMP/err")"
fi

# ---- one page in a real browser, rendered once -------------------------------------------------
chrome() {   # chrome NETLOG ARGS...: headless Chromium that can reach nothing
    netlog=$1
    shift
    unshare -n chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$TMP/profile" --no-first-run --disable-background-networking \
        --disable-component-update --disable-sync --disable-default-apps --disable-extensions \
        --host-resolver-rules='MAP * ~NOTFOUND' --log-net-log="$netlog" "$@" 2>"$TMP/chrome.err"
}
page=$TMP/03-telnet-handshake.html
ref=tests/golden/html/lesson-03.png
if chrome "$TMP/net.json" --window-size=1024,2000 --screenshot="$TMP/shot.png" --dump-dom \
    "file://$page" >"$TMP/dom.html" && [ -s "$TMP/dom.html" ] && [ -s "$TMP/shot.png" ]; then
    pass
    set -- $(counts lessons/03-telnet-handshake.lesson)
    $PY $CHECK dom "$TMP/dom.html" "$1" && pass || fail "the DOM Chromium built: see above"
    $PY $CHECK net "$TMP/net.json" && pass || fail "the page made requests"
    size=$($PY $CHECK png "$TMP/shot.png" 20000) && pass || fail "the screenshot is blank: $size"
    if [ "${DEMUX_HTML_UPDATE:-0}" = 1 ]; then
        mkdir -p tests/golden/html && cp "$TMP/shot.png" "$ref" && echo "rewrote $ref"
    elif [ -f "$ref" ]; then
        [ "$size" = "$($PY $CHECK png "$ref" 0)" ] && pass ||
            fail "the screenshot is $size, the reference $ref is not (DEMUX_HTML_UPDATE=1 rewrites it)"
    else
        fail "no reference screenshot $ref (DEMUX_HTML_UPDATE=1 makes it)"
    fi
else
    fail "chromium could not render $page: $(grep -v -e dbus -e '^$' "$TMP/chrome.err" | head -2)"
fi
# The same net-log check catches a page that does load something.
printf '<html><body><img src="http://example.invalid/x.png"></body></html>\n' >"$TMP/bad.html"
chrome "$TMP/bad-net.json" --dump-dom "file://$TMP/bad.html" >/dev/null
$PY $CHECK net "$TMP/bad-net.json" >/dev/null && fail "the net-log check missed a page's request" || pass
printf '<html><body><img src="http://example.invalid/x.png"></body></html>\n' >"$TMP/bad2.html"
$PY $CHECK dom "$TMP/bad2.html" 0 >/dev/null && fail "the page check missed an external src" || pass

# ---- the Markdown handout with its figures -----------------------------------------------------
l=lessons/04-two-users.lesson
b=04-two-users
if "$DEMUX" lesson "$l" --export md -o "$TMP/md/" 2>"$TMP/err"; then
    pass
    [ -f "$TMP/md/$b.md" ] && pass || fail "md -o DIR/: no $b.md"
    links=$(grep -o '](<[^>]*>)' "$TMP/md/$b.md" | sed 's/^](<//; s/>)$//')
    [ -n "$links" ] && pass || fail "md -o DIR/: no figure linked"
    for f in $links; do
        xmllint --noout "$TMP/md/$f" 2>/dev/null && pass || fail "md -o DIR/: $f missing or not well-formed"
    done
    [ "$(ls "$TMP/md" | grep -c '\.svg$')" -eq "$(echo "$links" | wc -l)" ] && pass ||
        fail "md -o DIR/: SVG files not linked from the handout"
else
    fail "md -o DIR/ failed: $(head -1 "$TMP/err")"
fi
"$DEMUX" lesson "$l" --export md -o "$TMP/one.md" && ! grep -q '\.svg' "$TMP/one.md" && pass ||
    fail "md -o FILE.md links figures: it should keep its ASCII diagrams only"
expect_exit 1 "html -o DIR" -- "$DEMUX" lesson "$l" --export html -o "$TMP/md"
expect_err "is a directory" "html -o DIR"
expect_exit 2 "--export pdf" -- "$DEMUX" lesson "$l" --export pdf
expect_err "json, md or html" "--export pdf"
finish
