#!/usr/bin/env sh
":" //; exec node -- "$0" "$@"
// Read by sh, the line above runs this file with Node, and `--` keeps Node from reading an --env-file
// argument as its own (nodejs/node#54232); read by Node it is a string and a comment. Plain sh rather
// than `env -S node --`, as BusyBox's env (Alpine images) has no -S.
// Committed rather than built, so a workspace links the bin at install time, before the first build.
require('../dist/cli/letta-settings.cjs');
