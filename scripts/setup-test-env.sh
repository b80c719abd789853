#!/usr/bin/env bash
# System packages the test suite drives for real: Chromium (the explorer page),
# CJK and emoji fonts (screenshots show characters) and Node.js (Neo4j's Cypher linter).
# Installed from Debian's packages when missing; tests that need one skip, saying why, if it is absent.
set -u
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
# Noto CJK also covers rare CJK of Extension B (𠮷 U+20BB7), which the page test renders.
[ -n "$(fc-list ':charset=20bb7' family 2>/dev/null)" ] || need+=(fonts-noto-cjk)
[ -n "$(fc-list ':charset=1f680' family 2>/dev/null)" ] || need+=(fonts-noto-color-emoji)
command -v node >/dev/null 2>&1 || need+=(nodejs npm)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}") >/dev/null 2>&1 \
    || echo "setup-test-env: could not install ${need[*]}; the tests that need them will skip" >&2
fi
if command -v npm >/dev/null 2>&1 && [ ! -d tests/js/node_modules/@neo4j-cypher ]; then
  (cd tests/js && npm install --silent --no-audit --no-fund >/dev/null 2>&1) \
    || echo "setup-test-env: npm install of the Cypher linter failed; its test will skip" >&2
fi
exit 0
