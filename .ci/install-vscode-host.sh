#!/usr/bin/env bash
# Installs code-server (the VS Code server with its web workbench) from npm into .vscode-host/,
# which hosts the extension for the integration tests, the browser tests and the demo.
# Safe to run again: it returns at once when the pinned version is already there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${VSCODE_HOST_DIR:-$root/.vscode-host}
version=4.100.3   # the newest code-server that runs on Node 20 (VS Code 1.100.3)

if "$dest/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$version "; then
  echo "code-server $version already in $dest"
  exit 0
fi

# Native modules need Kerberos headers; ripgrep seeds the download that @vscode/ripgrep would
# otherwise make; Chromium shows the workbench.
missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
command -v rg >/dev/null || missing+=(ripgrep)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

tmp=${TMPDIR:-/tmp}
cache="$tmp/vscode-ripgrep-cache-1.15.11"
archive="$cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
if [ ! -s "$archive" ]; then
  mkdir -p "$cache"
  stage=$(mktemp -d)
  cp "$(command -v rg)" "$stage/rg"
  tar czf "$archive" -C "$stage" rg
  rm -rf "$stage"
fi

mkdir -p "$dest"
cd "$dest"
[ -f package.json ] || echo '{"name":"vscode-host","private":true}' > package.json
# As root, code-server's install script wants unsafe-perm; node-pty runs npx non-interactively;
# node-gyp must build against the local Node headers, since nodejs.org cannot be reached.
[ -f /usr/include/node/node.h ] && export npm_config_nodedir=/usr
npm_config_unsafe_perm=true npm_config_yes=true \
  npm install --no-audit --no-fund --no-save --loglevel=error "code-server@$version"
"$dest/node_modules/.bin/code-server" --version
