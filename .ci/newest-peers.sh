#!/usr/bin/env bash
# Runs a command with the newest peer versions the packages accept, installed in a temporary directory:
# OpenTelemetry SDK 3 with its exporters and API 1.10 (and the SDK 3 serializers the OTLP/HTTP tests
# compare with), kysely 0.29 and better-sqlite3 13. vitest.config.ts
# resolves those modules from LETTA_TEST_PEERS, so the package suites run against them; the workspace's
# own versions (SDK 2, kysely 0.28, better-sqlite3 12) are the oldest and run in the main suite.
# better-sqlite3 13 ships prebuilt binaries for each Node ABI it supports, so nothing is compiled.
set -euo pipefail
cd "$(dirname "$0")/.."

peers="$(mktemp -d "${TMPDIR:-/tmp}/letta-newest-peers.XXXXXX")"
trap 'rm -rf "$peers"' EXIT

printf 'newest peers on Node %s in %s\n' "$(node --version)" "$peers"
(
  cd "$peers"
  echo '{ "private": true }' > package.json
  npm install --no-audit --no-fund --loglevel=error \
    '@opentelemetry/api@^1.10.0' \
    '@opentelemetry/context-async-hooks@^3' '@opentelemetry/core@^3' '@opentelemetry/resources@^3' \
    '@opentelemetry/sdk-metrics@^3' '@opentelemetry/sdk-trace@^3' \
    '@opentelemetry/exporter-prometheus@>=0.300 <0.400' \
    '@opentelemetry/exporter-metrics-otlp-grpc@>=0.300 <0.400' \
    '@opentelemetry/exporter-trace-otlp-grpc@>=0.300 <0.400' \
    '@opentelemetry/otlp-transformer@>=0.300 <0.400' \
    'kysely@^0.29' 'better-sqlite3@^13'
  npm ls --depth=0 | sed 1d
)
LETTA_TEST_PEERS="$peers/node_modules" "$@"
