#!/bin/sh
# make fuzz: tests/fuzz/run.sh SECONDS HARNESS... runs each libFuzzer harness
# (build/fuzz/fuzz_NAME) for SECONDS on its committed corpus
# (tests/fuzz/corpus/NAME). New inputs go to build/fuzz/new/NAME; with
# FUZZ_MERGE=1 the committed corpus is then replaced by the smallest set of
# old and new inputs that covers as much. A crash, leak, timeout or
# sanitizer report stops with the input saved under build/fuzz/artifacts/NAME/:
# minimize it (-minimize_crash=1), copy it to tests/fuzz/crashes/NAME/, fix
# the bug, and `make test` replays it from then on. An input counts as hung
# after FUZZ_TIMEOUT seconds (30): the slowest seeds take over a second
# each under the sanitizers (every input also writes the export's field
# and dispatch tables), and on a loaded machine 10 s stopped runs on
# inputs that took 43 ms alone.
set -u
seconds=$1
shift
status=0
for harness in "$@"; do
    name=${harness#fuzz_}
    bin=build/fuzz/$harness
    corpus=tests/fuzz/corpus/$name
    new=build/fuzz/new/$name
    art=build/fuzz/artifacts/$name
    mkdir -p "$corpus" "$new" "$art"
    echo "== fuzzing $name for ${seconds}s"
    # Past crashes go in as seeds too: the fuzzer starts from the edges of
    # what once broke.
    crashes=""
    [ -d "tests/fuzz/crashes/$name" ] && crashes="tests/fuzz/crashes/$name"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-30}" -rss_limit_mb=2048 -max_len=8192 \
        -print_final_stats=1 -artifact_prefix="$art/" "$new" "$corpus" $crashes \
        2>"build/fuzz/$name.log"
    rc=$?
    grep -E '^(#[0-9]+[[:space:]]+DONE|stat::number_of_executed_units|stat::average_exec_per_sec)' \
        "build/fuzz/$name.log"
    if [ "$rc" -ne 0 ]; then
        echo "fuzz $name: FAILED (exit $rc); input in $art/, log in build/fuzz/$name.log"
        grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "build/fuzz/$name.log" | head -5
        status=1
        continue
    fi
    if [ "${FUZZ_MERGE:-0}" = 1 ]; then
        # The smallest set of inputs that reaches every edge the corpus and
        # the new inputs reach (hit counts ignored, to keep it small), in
        # place of the corpus.
        merged=build/fuzz/merged/$name
        rm -rf "$merged" && mkdir -p "$merged"
        if "$bin" -set_cover_merge=1 -use_counters=0 -max_len=8192 "$merged" "$corpus" "$new" \
            2>>"build/fuzz/$name.log"; then
            rm -f "$corpus"/* && cp "$merged"/* "$corpus"/ \
                && echo "merged: $(ls "$corpus" | wc -l) inputs in $corpus"
        fi
    fi
done
exit $status
