#!/bin/sh
# Run every test against one build: tests/run-all.sh BUILD_DIR UNIT_TEST...
# Unit tests are cmocka programs; the other suites are shell scripts that
# get DEMUX and TRACEGEN in the environment. Ends with "N passed, N failed".
set -u
build=$1
shift
export DEMUX="$build/demux" TRACEGEN="$build/tracegen"
# Under the sanitizers any report fails the test: leaks included.
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:exitcode=99
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=99

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

for suite in tests/suites/*.sh; do
    name=$(basename "$suite" .sh)
    echo "-- suite: $name"
    sh "$suite"
    record "$name" $?
done

[ -n "$failures" ] && echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
