#!/usr/bin/env bash
# Installs Node.js MAJOR from its npm package (node-<platform>-<arch>) into DIR, and prints the
# directory that holds its bin/node.
set -euo pipefail
major="$1" dir="$2"
package="node-$(node -p 'process.platform + "-" + process.arch')"
npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$package@$major" >&2
echo "$dir/node_modules/$package"
