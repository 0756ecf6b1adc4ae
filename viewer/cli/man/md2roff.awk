# md2roff.awk - the Markdown of a README section, as man(7) roff: the one
# source of demux-lesson(5) is lessons/README.md. Reads the subset those
# sections use: "## " and "### " headings, paragraphs, "- " lists with
# lines indented under them, code indented by four spaces, and inline
# `code`, **bold**, *italics* and [links](target).
#   awk -v sections='Writing a lesson|A complete example' -f md2roff.awk README.md
# prints the sections named, in the file's order, each as .SH.

# A character roff would take otherwise: backslash, and the minus sign in code.
function esc(s, code) {
    gsub(/\\/, "\\\\e", s)
    if (code) gsub(/-/, "\\\\-", s)
    return s
}

# A line of text with its inline markup as fonts.
function inline(s,    out, i, c, j, rest) {
    out = ""
    i = 1
    while (i <= length(s)) {
        c = substr(s, i, 1)
        rest = substr(s, i + 1)
        if (c == "`" && (j = index(rest, "`")) > 0) {
            out = out "\\fB" esc(substr(rest, 1, j - 1), 1) "\\fR"
            i += j + 1
        } else if (substr(s, i, 2) == "**" && (j = index(substr(s, i + 2), "**")) > 0) {
            out = out "\\fB" esc(substr(s, i + 2, j - 1), 0) "\\fR"
            i += j + 3
        } else if (c == "*" && rest ~ /^[^ *]/ && (j = index(rest, "*")) > 0) {
            out = out "\\fI" esc(substr(rest, 1, j - 1), 0) "\\fR"
            i += j + 1
        } else if (c == "[" && match(rest, /^[^]]*\]\([^)]*\)/)) {
            j = index(rest, "]")
            out = out inline(substr(rest, 1, j - 1))
            i += RLENGTH + 1
        } else {
            out = out esc(c, 0)
            i++
        }
    }
    return out
}

# Emit a line of text; one starting with a dot or a quote is no request.
function text(s) {
    if (s ~ /^[.']/) s = "\\&" s
    print s
}

function end_code() {
    if (incode) { print ".EE"; print ".RE" }
    incode = 0
    blanks = 0
}

BEGIN { n = split(sections, want, "|"); for (k = 1; k <= n; k++) wanted[want[k]] = 1 }

/^## / {
    end_code()
    on = (substr($0, 4) in wanted)
    if (on) print ".SH \"" toupper(substr($0, 4)) "\""
    para = 0
    next
}
!on { next }
/^### / { end_code(); print ".SS \"" substr($0, 5) "\""; para = 0; next }
/^[ \t]*$/ { if (incode) blanks++; else para = 1; inlist = 0; next }
/^    / && !inlist {
    if (!incode) { print ".PP"; print ".RS 4"; print ".EX"; incode = 1 }
    for (; blanks > 0; blanks--) print ""
    line = substr($0, 5)
    line = esc(line, 1)
    if (line ~ /^[.']/) line = "\\&" line
    print line
    para = 0
    next
}
/^- / { end_code(); print ".IP \\(bu 2"; text(inline(substr($0, 3))); inlist = 1; para = 0; next }
inlist && /^  / { sub(/^ +/, ""); text(inline($0)); next }
{
    end_code()
    if (para) print ".PP"
    para = 0
    text(inline($0))
}
END { end_code() }
