#!/usr/bin/env bash
# Installs what the browser and editor tests need: Debian's chromium and neovim (the language
# server's test with a client nobody here wrote), and code-server (VS Code 1.100
# served to a browser) pinned to 4.100.3 in .e2e/code-server. Idempotent: a second run that
# finds everything in place returns in well under a second.
# code-server is not a devDependency on purpose: its install needs apt headers and the
# environment tweaks below (see docs/development.md).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# The @vscode/ripgrep that code-server 4.100.3 pins (lib/vscode/npm-shrinkwrap.json) and the
# rg release its postinstall would download from GitHub (lib/postinstall.js VERSION + target).
RIPGREP_PACKAGE_VERSION=1.15.11
RIPGREP_ASSET=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
install_dir="$root/.e2e/code-server"
code_server_bin="$install_dir/node_modules/.bin/code-server"
marker="$install_dir/.installed-$CODE_SERVER_VERSION"

log() { echo "e2e setup: $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# 1. Debian packages, only those missing (apt-get update only when something is).
missing_packages=()
command -v chromium >/dev/null 2>&1 || missing_packages+=(chromium)
command -v rg >/dev/null 2>&1 || missing_packages+=(ripgrep)
command -v nvim >/dev/null 2>&1 || missing_packages+=(neovim)
if [ ! -f "$marker" ]; then
  # Headers for code-server's native modules; not needed once it is installed.
  for package in libkrb5-dev libxkbfile-dev libsecret-1-dev; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing_packages+=("$package")
  done
fi
if [ ${#missing_packages[@]} -gt 0 ]; then
  log "installing ${missing_packages[*]} with apt-get"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_packages[@]}" >/dev/null
else
  log "chromium, ripgrep and neovim present"
fi

# 2. code-server, pinned, project-local.
if [ -f "$marker" ] && [ -x "$code_server_bin" ]; then
  log "code-server $CODE_SERVER_VERSION present in .e2e/code-server"
  exit 0
fi

started=$(date +%s)
log "installing code-server $CODE_SERVER_VERSION into .e2e/code-server (about a minute)"
mkdir -p "$install_dir"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

# @vscode/ripgrep downloads rg from GitHub unless its cache already holds the release tarball:
# put Debian's rg there, at the tarball's top level, where download.js looks (os.tmpdir()).
ripgrep_cache="$scratch/vscode-ripgrep-cache-$RIPGREP_PACKAGE_VERSION"
mkdir -p "$ripgrep_cache/rg"
cp "$(command -v rg)" "$ripgrep_cache/rg/rg"
tar -czf "$ripgrep_cache/$RIPGREP_ASSET" -C "$ripgrep_cache/rg" rg

# A package.json of its own so npm treats the folder as the project root, not the repo.
[ -f "$install_dir/package.json" ] || echo '{ "name": "e2e-code-server", "private": true }' > "$install_dir/package.json"

(
  cd "$install_dir"
  # unsafe_perm: code-server's postinstall refuses root without it;
  # yes: node-pty's postinstall runs `npx node-gyp`, which npm refuses when yes is false.
  TMPDIR="$scratch" npm_config_unsafe_perm=true npm_config_yes=true \
    npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
) > "$scratch/npm.log" 2>&1 || {
  tail -n 40 "$scratch/npm.log" >&2
  log "npm install of code-server failed (full log above, last 40 lines)" >&2
  exit 1
}

# Read the version from the package: `code-server --version` would write a config file under ~.
version="$(node -p "require('$install_dir/node_modules/code-server/package.json').version" 2>/dev/null || true)"
case "$version" in
  "$CODE_SERVER_VERSION"*) ;;
  *) log "code-server installed but --version printed '$version'" >&2; exit 1 ;;
esac
touch "$marker"
log "code-server $version installed in $(( $(date +%s) - started )) s"
