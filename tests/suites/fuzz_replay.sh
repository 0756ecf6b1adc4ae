#!/bin/sh
# The fuzz corpus and every input that once crashed a harness, replayed as
# regression tests through tests/fuzz/replay.c (no libFuzzer needed): each
# harness built with this build's compiler and sanitizers must get through
# all of them. `make fuzz` adds to the corpus; crashes are saved by hand.
. tests/lib.sh
build=$(dirname "$DEMUX")
for src in tests/fuzz/fuzz_*.c; do
    harness=$(basename "$src" .c)
    name=${harness#fuzz_}
    bin=$build/fuzz-replay/$harness
    if [ ! -x "$bin" ]; then
        fail "$bin is not built (make check builds it)"
        continue
    fi
    set --
    for dir in "tests/fuzz/corpus/$name" "tests/fuzz/crashes/$name"; do
        [ -d "$dir" ] && set -- "$@" "$dir"
    done
    if [ $# -eq 0 ]; then
        fail "$harness has no corpus in tests/fuzz/corpus/$name"
        continue
    fi
    if "$bin" "$@" >"$TMP/out" 2>"$TMP/err"; then
        pass
        echo "   $harness: $(cat "$TMP/out")"
    else
        fail "$harness: replay failed (exit $?)"
        tail -20 "$TMP/err" | sed 's/^/    /'
    fi
done
finish
