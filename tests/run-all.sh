#!/bin/sh
# Run every test against one build: tests/run-all.sh BUILD_DIR UNIT_TEST...
# Unit tests are cmocka programs; the other suites are shell scripts that
# get DEMUX and TRACEGEN in the environment. Ends with "N passed, N failed".
#
# The suites run TEST_JOBS at a time (default 4): most of their time is
# spent waiting on a terminal or on tshark, not computing, and each keeps
# its files in its own mktemp folder and its own tmux server, so they do
# not meet. Each one's output is kept apart and printed whole, in order,
# with the seconds it took, so a failure reads as if they had run one by
# one.
set -u
build=$1
shift
export DEMUX="$build/demux" TRACEGEN="$build/tracegen"
# Under the sanitizers any report fails the test: leaks included.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99
# Suites that run side by side answer more slowly than one alone: a
# check waits longer before it gives up (it never waits once it sees
# what it expects).
export WAIT_SECONDS="${WAIT_SECONDS:-15}"
jobs=${TEST_JOBS:-4}

logs=$(mktemp -d "${TMPDIR:-/tmp}/demux-run.XXXXXX")
trap 'rm -rf "$logs"' EXIT

passed=0 failed=0 failures=""
record() {   # record NAME STATUS
    if [ "$2" -eq 0 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        failures="$failures $1"
    fi
}

for t in "$@"; do
    echo "-- unit: $(basename "$t")"
    "$t"
    record "$(basename "$t")" $?
done

# One suite, its output and status into $logs (run by xargs below).
run_one='suite=$1 logs=$2
name=$(basename "$suite" .sh)
start=$(date +%s)
sh "$suite" >"$logs/$name.out" 2>&1
echo $? >"$logs/$name.rc"
echo $(($(date +%s) - start)) >"$logs/$name.time"'

# The slowest suites start first, so the last to finish is a short one.
slow="viewer_valgrind screen_numbers tshark viewer lesson_focus lesson_play live"
order=""
for name in $slow; do
    [ -f "tests/suites/$name.sh" ] && order="$order tests/suites/$name.sh"
done
for suite in tests/suites/*.sh; do
    case " $slow " in *" $(basename "$suite" .sh) "*) continue ;; esac
    order="$order $suite"
done
printf '%s\n' $order | xargs -P "$jobs" -I{} sh -c "$run_one" sh {} "$logs"

for suite in tests/suites/*.sh; do
    name=$(basename "$suite" .sh)
    echo "-- suite: $name ($(cat "$logs/$name.time" 2>/dev/null || echo '?') s)"
    cat "$logs/$name.out" 2>/dev/null
    record "$name" "$(cat "$logs/$name.rc" 2>/dev/null || echo 1)"
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
