#!/usr/bin/env bash
# Debian packages the tests use: prometheus (the real server of the analysis integration test, and promtool,
# which checks the rendered alert rules) and kubectl (its kustomize builds `render --out` trees). A kubectl
# already on PATH is used as it is: Debian's kubernetes-client conflicts with other installs of it.
# docker-registry is the real OCI distribution server the registry preflight is tested against; postgresql
# the real PostgreSQL the store's contract suite runs on (its initdb lives in /usr/lib/postgresql/N/bin; the
# tests create their own cluster and never start the package's); chromium the real browser the dashboard's
# test drives with playwright-core.
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing prometheus:prometheus promtool:prometheus kubectl:kubernetes-client docker-registry:docker-registry chromium:chromium
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt_install_missing initdb:postgresql
fi
echo "test deps: $(prometheus --version 2>&1 | head -1); $(kubectl version --client 2>&1 | head -1)"
