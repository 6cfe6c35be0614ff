#!/usr/bin/env -S node --
// Committed rather than built, so a workspace links the bin at install time, before the first build.
require('../dist/cli/letta-settings.cjs');
