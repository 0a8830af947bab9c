#!/usr/bin/env bash
# Debian packages the tests use: prometheus (the real server of the analysis integration test).
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing prometheus:prometheus
echo "test deps: $(prometheus --version 2>&1 | head -1)"
