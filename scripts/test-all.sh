#!/usr/bin/env bash
# Installs what the tests need and runs all of them: format and lint, typecheck, unit and integration tests.
# This is the README's test command and what CI runs (.ci/run), on a fresh clone.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-test-deps.sh
npm ci --no-audit --no-fund
npm run lint
npm run typecheck
npm test
