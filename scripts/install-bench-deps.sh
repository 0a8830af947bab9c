#!/usr/bin/env bash
# Debian packages the benchmarks use: nginx (the reverse-proxy baseline of bench/router) and wrk (a C load
# generator, so the load tool is not the bottleneck when proxies are compared), and kubectl (its kustomize is
# the baseline of bench/render; a kubectl already on PATH is used as it is, since Debian's conflicts with it).
set -euo pipefail
source "$(dirname "$0")/lib/apt-install.sh"
apt_install_missing nginx:nginx wrk:wrk kubectl:kubernetes-client
echo "bench deps: nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*\///'), $(wrk --version 2>&1 | head -1 | cut -d' ' -f1-2)"
