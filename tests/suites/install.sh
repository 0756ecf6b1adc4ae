#!/bin/sh
# make install and make uninstall (PREFIX, DESTDIR), the installed program
# finding its lessons from any directory, the manual pages rendered without
# a warning, bash and zsh completion, and make deb checked by lintian and
# unpacked into a throwaway root. Installs of the build under test
# ($DEMUX's folder); the package is made from the release build only.
. tests/lib.sh
build=$(dirname "$DEMUX")
san=0
[ "$(basename "$build")" = san ] && san=1
mk() { make -s --no-print-directory BUILD="$build" SAN=$san "$@"; }
# Nothing of the user's: no lessons of theirs, no installed ones.
export HOME="$TMP/home" XDG_DATA_HOME="$TMP/xdg"
unset DEMUX_LESSONS
mkdir -p "$HOME" "$TMP/elsewhere"
nlessons=$(ls lessons/*.lesson | wc -l)
traces=$(sed -n 's|^trace: *\.\./traces/||p' lessons/*.lesson | sort -u)

# ---- install into a PREFIX, run from elsewhere --------------------------------
P=$TMP/prefix
mk install PREFIX="$P" >"$TMP/install.out" 2>&1 && pass || { fail "make install PREFIX"; cat "$TMP/install.out"; }
expected() {   # expected ROOT: the files an install under ROOT holds
    printf '%s\n' "$1/bin/demux" "$1/share/man/man1/demux.1" "$1/share/man/man5/demux-lesson.5" \
        "$1/share/bash-completion/completions/demux" "$1/share/zsh/site-functions/_demux" \
        "$1/share/demux/install-manifest"
    for f in lessons/*.lesson; do echo "$1/share/demux/lessons/${f#lessons/}"; done
    for t in $traces; do echo "$1/share/demux/traces/$t"; done
}
expected "$P" | sort >"$TMP/want"
find "$P" -type f | sort >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && pass || { fail "install puts these files:"; diff "$TMP/want" "$TMP/got" | head; }
[ -x "$P/bin/demux" ] && [ "$(stat -c %a "$P/share/demux/lessons/03-telnet-handshake.lesson")" = 644 ] \
    && pass || fail "the program is executable, the lessons readable by all"

(cd "$TMP/elsewhere" && "$P/bin/demux" lesson --list=tsv) >"$TMP/tsv"
[ "$(grep -c "	installed	$P/share/demux/lessons/[0-9][0-9]-[a-z-]*\.lesson	" "$TMP/tsv")" -eq "$nlessons" ] \
    && pass || { fail "the installed demux, run elsewhere, lists the installed lessons"; head -3 "$TMP/tsv"; }
(cd "$TMP/elsewhere" && "$P/bin/demux" lesson 03) >"$TMP/l03" 2>&1 \
    && grep -q "^Step 5 of 5" "$TMP/l03" && pass \
    || { fail "the installed lesson 03 plays from elsewhere, its trace found"; head -3 "$TMP/l03"; }
(cd "$TMP/elsewhere" && "$P/bin/demux" lesson --list) | grep -q "^in $P/share/demux/lessons/ (installed):$" \
    && pass || fail "--list says where the lessons come from"
# A copy of the program elsewhere still finds them: PREFIX is compiled in.
mkdir "$TMP/copy" && cp "$P/bin/demux" "$TMP/copy/demux"
(cd / && "$TMP/copy/demux" lesson --list=tsv) | grep -q "	installed	$P/share/demux/lessons/" \
    && pass || fail "a copy of the installed program finds the lessons under the PREFIX compiled in"

# The search order: ./lessons, then the user's, then the installed ones.
mkdir -p "$XDG_DATA_HOME/demux/lessons" "$TMP/elsewhere/lessons"
sed "s|\.\./traces/|$PWD/traces/|" lessons/03-telnet-handshake.lesson >"$XDG_DATA_HOME/demux/lessons/03-telnet-handshake.lesson"
sed "s|\.\./traces/|$PWD/traces/|" lessons/02-ports.lesson >"$XDG_DATA_HOME/demux/lessons/02-ports.lesson"
sed "s|\.\./traces/|$PWD/traces/|" lessons/02-ports.lesson >"$TMP/elsewhere/lessons/02-ports.lesson"
(cd "$TMP/elsewhere" && "$P/bin/demux" lesson --list=tsv) >"$TMP/tsv"
grep -q "^02-ports	here	lessons/02-ports.lesson	" "$TMP/tsv" \
    && grep -q "^03-telnet-handshake	yours	$XDG_DATA_HOME/demux/lessons/03-telnet-handshake.lesson	" "$TMP/tsv" \
    && grep -q "^04-two-users	installed	" "$TMP/tsv" && [ "$(wc -l <"$TMP/tsv")" -eq "$nlessons" ] \
    && pass || { fail "./lessons before \$XDG_DATA_HOME/demux/lessons before the installed lessons"; cat "$TMP/tsv"; }
(cd "$TMP/elsewhere" && "$P/bin/demux" lesson --list) >"$TMP/list"
grep -q "^in $XDG_DATA_HOME/demux/lessons/ (yours):$" "$TMP/list" \
    && grep -q "^  02-ports  *(not used: a lesson above has this name)$" "$TMP/list" \
    && pass || { fail "--list shows each place, and a lesson a name no longer finds"; cat "$TMP/list"; }
(cd "$TMP/elsewhere" && HOME="$TMP/elsewhere" XDG_DATA_HOME= "$P/bin/demux" lesson --list=tsv) | grep -q "^03-telnet-handshake	installed" \
    && pass || fail "without XDG_DATA_HOME, ~/.local/share/demux/lessons is the user's place"
rm -rf "$XDG_DATA_HOME/demux" "$TMP/elsewhere/lessons"

# ---- the manual pages ---------------------------------------------------------
for page in "$P/share/man/man1/demux.1" "$P/share/man/man5/demux-lesson.5"; do
    MANWIDTH=80 man --warnings -l "$page" >"$TMP/page" 2>"$TMP/err" </dev/null
    [ ! -s "$TMP/err" ] && [ -s "$TMP/page" ] && pass || { fail "man --warnings -l $(basename "$page") is silent"; head -5 "$TMP/err"; }
done
MANWIDTH=80 man -l "$P/share/man/man1/demux.1" 2>/dev/null </dev/null >"$TMP/demux.txt"
for c in $("$DEMUX" --for-build=commands); do
    grep -q "^       $c\( \|$\)" "$TMP/demux.txt" || { fail "demux(1) has no entry for the command $c"; continue; }
    pass
done
for o in $("$DEMUX" --for-build=options | cut -f1); do
    grep -q -- "^       .*$o\([ ,=[]\|$\)" "$TMP/demux.txt" || { fail "demux(1) has no entry for the option $o"; continue; }
    pass
done
for want in "show the header words" "EXIT STATUS" "NO_COLOR" "TERM" "XDG_DATA_HOME" "EXAMPLES" \
    "$P/share/demux/lessons"; do
    grep -q -- "$want" "$TMP/demux.txt" && pass || fail "demux(1) says: $want"
done
sed -n '/^SEE ALSO/,$p' "$TMP/demux.txt" | tr -s ' \n' '  ' |
    grep -q "tcpdump(8), tshark(1), pcap-filter(7), protocols(5), services(5)" \
    && pass || fail "demux(1) sees also tcpdump(8), tshark(1), pcap-filter(7), protocols(5), services(5)"
# The keys come from the viewer's tables: the lesson's and a live capture's too.
for key in "Live capture" "While the lesson plays" "In the packet list"; do
    grep -q "^   $key" "$TMP/demux.txt" && pass || fail "demux(1) lists the keys: $key"
done
MANWIDTH=80 man -l "$P/share/man/man5/demux-lesson.5" 2>/dev/null </dev/null | grep -q "^WRITING A LESSON" \
    && pass || fail "demux-lesson(5) has the format, from lessons/README.md"

# ---- shell completion ---------------------------------------------------------
comp() {   # comp WORD...: what bash completes for the last word
    (cd "$TMP/elsewhere" && bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _demux
        printf "%s\n" "${COMPREPLY[@]}"' comp "$P/share/bash-completion/completions/demux" "$P/bin/demux" "$@")
}
[ "$(comp le)" = lesson ] && pass || fail "bash: demux le completes to lesson: $(comp le)"
ls lessons | sed -n 's/^\(0[0-9a-z-]*\)\.lesson$/\1/p' >"$TMP/want"
[ "$(comp lesson 0)" = "$(cat "$TMP/want")" ] && pass || fail "bash: demux lesson 0 gives the lesson names: $(comp lesson 0 | tr '\n' ' ')"
[ "$(comp --theme p)" = projector ] && pass || fail "bash: --theme p completes to projector"
[ "$(comp -i l)" = lo ] && pass || fail "bash: -i l completes to lo: $(comp -i l | tr '\n' ' ')"
[ "$(comp --list --ver)" = --version ] && pass || fail "bash: options"
touch "$TMP/elsewhere/class.pcap" "$TMP/elsewhere/class.txt"
[ "$(comp decode -c 5 cl)" = class.pcap ] && pass || fail "bash: a capture after the command (and -c's value): $(comp decode -c 5 cl)"
# bash-completion's loader finds it under PREFIX/share (XDG_DATA_DIRS).
if [ -f /usr/share/bash-completion/bash_completion ]; then
    XDG_DATA_DIRS="$P/share" bash -c '. /usr/share/bash-completion/bash_completion; __load_completion demux && complete -p demux' \
        2>/dev/null | grep -q "_demux demux" && pass || fail "bash-completion loads the completion from PREFIX/share"
fi
# zsh: the function run with compadd and _files standing in, as zsh's completion calls it.
zcomp() {
    (cd "$TMP/elsewhere" && zsh -f -c 'compadd() { while [[ $1 == -* && $1 != -- ]]; do shift; done; [[ $1 == -- ]] && shift
            print -l -- ${(M)@:#$PREFIX*}; }
        _files() { :; }; _users() { :; }
        fpath=("$1" $fpath); autoload -Uz _demux; shift
        words=("$@"); CURRENT=$#; PREFIX=${words[CURRENT]}; _demux' zcomp "$P/share/zsh/site-functions" "$P/bin/demux" "$@")
}
if command -v zsh >/dev/null; then
    [ "$(zcomp le)" = lesson ] && pass || fail "zsh: demux le completes to lesson: $(zcomp le)"
    [ "$(zcomp lesson 0)" = "$(cat "$TMP/want")" ] && pass || fail "zsh: demux lesson 0 gives the lesson names: $(zcomp lesson 0 | tr '\n' ' ')"
    [ "$(zcomp --theme m)" = mono ] && pass || fail "zsh: --theme m completes to mono"
fi

# ---- uninstall: what install put there, nothing else ---------------------------
mk uninstall PREFIX="$P" >/dev/null 2>&1 && [ ! -e "$P" ] && pass \
    || { fail "make uninstall leaves nothing of a PREFIX install made"; find "$P" | head; }
mkdir -p "$TMP/shared/share/man/man1" && touch "$TMP/shared/share/man/man1/other.1" "$TMP/shared/keep"
(cd "$TMP/shared" && find . | sort) >"$TMP/before"
mk install PREFIX="$TMP/shared" >/dev/null 2>&1 && mk uninstall PREFIX="$TMP/shared" >/dev/null 2>&1
(cd "$TMP/shared" && find . | sort) >"$TMP/after"
cmp -s "$TMP/before" "$TMP/after" && pass || { fail "uninstall keeps what was there before install"; diff "$TMP/before" "$TMP/after" | head; }

# ---- DESTDIR ------------------------------------------------------------------
D=$TMP/dest
mk install PREFIX=/opt/demux-test DESTDIR="$D" >/dev/null 2>&1 && pass || fail "make install DESTDIR"
expected "$D/opt/demux-test" | sort >"$TMP/want"
find "$D" -type f | sort >"$TMP/got"
cmp -s "$TMP/want" "$TMP/got" && pass || { fail "DESTDIR install puts these files:"; diff "$TMP/want" "$TMP/got" | head; }
grep -q "/opt/demux-test/share/demux/lessons" "$D/opt/demux-test/share/man/man1/demux.1" \
    && ! grep -rq "$D" "$D/opt/demux-test/share/man" && pass || fail "the pages name PREFIX's folders, not DESTDIR's"
(cd "$TMP/elsewhere" && "$D/opt/demux-test/bin/demux" lesson 05) | grep -q "^Step 1 of" \
    && pass || fail "the DESTDIR install's program finds its lessons beside its bin/"
mk uninstall PREFIX=/opt/demux-test DESTDIR="$D" >/dev/null 2>&1 && [ -z "$(ls -A "$D")" ] \
    && pass || { fail "make uninstall DESTDIR leaves DESTDIR empty"; find "$D" | head; }

# ---- the Debian package -------------------------------------------------------
if [ "$san" = 1 ]; then
    echo "   (the package is made from the release build: checked in that run)"
    finish
    exit
fi
version=$(sed -n 's/^#define DX_VERSION "\(.*\)"$/\1/p' decode/demux.h)
deb=build/demux_${version}_$(dpkg --print-architecture).deb
make -s --no-print-directory deb >"$TMP/deb.out" 2>&1 && [ -f "$deb" ] && pass || { fail "make deb"; tail -5 "$TMP/deb.out"; }
lintian "$deb" >"$TMP/lintian" 2>/dev/null
! grep -q "^E: " "$TMP/lintian" && pass || { fail "lintian reports errors:"; grep "^E: " "$TMP/lintian"; }
grep "^W: " "$TMP/lintian" | sed 's/^/   lintian: /'
dpkg-deb -f "$deb" Depends | grep -q "libpcap" && dpkg-deb -f "$deb" Package | grep -qx demux \
    && pass || fail "the package's Depends come from dpkg-shlibdeps"
R=$TMP/root
dpkg -x "$deb" "$R"
(cd "$TMP/elsewhere" && "$R/usr/bin/demux" lesson --list=tsv) >"$TMP/tsv"
[ "$(grep -c "	installed	$R/usr/share/demux/lessons/" "$TMP/tsv")" -eq "$nlessons" ] \
    && (cd "$TMP/elsewhere" && "$R/usr/bin/demux" lesson 03 | grep -q "^Step 5 of 5") \
    && pass || { fail "the unpacked package's demux finds its lessons and their traces"; head -3 "$TMP/tsv"; }
[ -f "$R/usr/share/doc/demux/copyright" ] && [ -f "$R/usr/share/man/man1/demux.1.gz" ] \
    && [ -f "$R/usr/share/zsh/vendor-completions/_demux" ] && [ ! -e "$R/usr/share/demux/install-manifest" ] \
    && pass || fail "the package holds the copyright, compressed pages, completion in Debian's places"
finish
