#!/bin/sh
# `make install` and `make uninstall`:
#   .ci/install.sh install   DESTDIR MANIFEST MODE SRC DEST [MODE SRC DEST ...]
#   .ci/install.sh uninstall DESTDIR MANIFEST MODE SRC DEST [MODE SRC DEST ...]
# install copies each SRC to DESTDIR/DEST with MODE, making the folders it
# needs, and writes DESTDIR/MANIFEST: the folders it made ("d PATH", in the
# order made) and the files ("f PATH"), DESTDIR left out. uninstall removes
# each DEST and the manifest, then the folders install made, deepest first,
# when they are empty: what install put there, and nothing else. A file is
# copied beside its place and renamed, so none is ever half written.
set -eu
action=$1 destdir=$2 manifest=$3
shift 3

made=""
make_dir() {   # make_dir DIR: DIR and its missing parents, each noted in $made
    [ -d "$destdir$1" ] && return 0
    if [ "$1" = / ] || [ "$1" = . ]; then
        mkdir -p "$destdir/" # DESTDIR itself: the caller's, not noted
        return 0
    fi
    make_dir "$(dirname "$1")"
    mkdir -m 755 "$destdir$1"
    made="$made
d $1"
}

if [ "$action" = install ]; then
    files=""
    while [ $# -ge 3 ]; do
        mode=$1 src=$2 dest=$3
        shift 3
        make_dir "$(dirname "$dest")"
        cp "$src" "$destdir$dest.new"
        chmod "$mode" "$destdir$dest.new"
        mv -f "$destdir$dest.new" "$destdir$dest"
        files="$files
f $dest"
    done
    make_dir "$(dirname "$manifest")"
    # A reinstall keeps the folders the first install made.
    old=""
    [ -f "$destdir$manifest" ] && old=$(grep '^d ' "$destdir$manifest" || true)
    printf '%s\n' "$old$made$files" | sed '/^$/d' | awk '!seen[$0]++' >"$destdir$manifest.new"
    chmod 644 "$destdir$manifest.new"
    mv -f "$destdir$manifest.new" "$destdir$manifest"
    echo "installed under ${destdir:-/}: $(grep -c '^f ' "$destdir$manifest") files (list in $manifest)"
elif [ "$action" = uninstall ]; then
    while [ $# -ge 3 ]; do
        rm -f "$destdir$3"
        shift 3
    done
    dirs=""
    if [ -f "$destdir$manifest" ]; then
        dirs=$(sed -n 's/^d //p' "$destdir$manifest")
        sed -n 's/^f //p' "$destdir$manifest" | while IFS= read -r f; do rm -f "$destdir$f"; done
        rm -f "$destdir$manifest"
    fi
    # Deepest first: a folder after the folders made inside it.
    printf '%s\n' "$dirs" | awk 'NF { print length($0) "\t" $0 }' | sort -rn | cut -f2- |
        while IFS= read -r d; do rmdir "$destdir$d" 2>/dev/null || true; done
    echo "uninstalled from $destdir$(dirname "$manifest")"
else
    echo "usage: .ci/install.sh install|uninstall DESTDIR MANIFEST MODE SRC DEST..." >&2
    exit 2
fi
