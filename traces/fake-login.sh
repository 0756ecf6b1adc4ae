#!/bin/bash
# traces/fake-login.sh: what telnetd runs instead of /bin/login when
# traces/record-real.sh records a telnet session (telnetd -E PROGRAM). It asks
# for a name and a password the way login does, with echo off for the
# password, then shows a "$ " prompt, reads one command and says goodbye. No
# account, no PAM and no shell are involved: whatever is typed is only read.
# Every read gives up after 30 seconds, so a lost client cannot keep it alive.
# shellcheck disable=SC2034 # the answers are read, never used
printf 'login: '
IFS= read -r -t 30 name || exit 1
stty -echo 2>/dev/null
printf 'Password: '
IFS= read -r -t 30 password
status=$?
stty echo 2>/dev/null
printf '\n'
[ "$status" -eq 0 ] || exit 1
printf '$ '
IFS= read -r -t 30 command || exit 1
printf 'logout\n'
exit 0
