#!/usr/bin/env bash
# Regenerates package-lock.json so that `npm ci` installs on every platform: the lock must hold
# the optional packages of every operating system and CPU (@rollup/rollup-darwin-arm64,
# @esbuild/win32-x64, @koromix/koffi-darwin-arm64, …), not only those of the machine that wrote it.
#
# npm writes only the current platform's optional packages when it builds the lock from an
# installed node_modules; resolving in an empty folder from the manifests (and the current lock,
# so that every version it pins stays as it is) adds the others. Run it after changing a
# dependency in any package.json:
#
#   scripts/regenerate-lock.sh           # keep the lock's versions, add what is missing
#   scripts/regenerate-lock.sh --fresh   # resolve every version anew (newest within the ranges)
#
# Then check it with `npm ci`. Needs npm 11 (uses it through npx when the installed one is older).
set -euo pipefail
cd "$(dirname "$0")/.."

fresh=0
case "${1:-}" in
  --fresh) fresh=1 ;;
  "") ;;
  *) echo "usage: $0 [--fresh]" >&2; exit 2 ;;
esac

npm_cmd=(npm)
if [ "$(npm --version | cut -d. -f1)" -lt 11 ]; then npm_cmd=(npx -y npm@11); fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The root manifest, every workspace's manifest (workspaces may be globs), and the current lock.
cp package.json "$tmp/"
for pattern in $(node -p '(require("./package.json").workspaces || []).join(" ")'); do
  for ws in $pattern; do
    [ -f "$ws/package.json" ] || continue
    mkdir -p "$tmp/$ws"
    cp "$ws/package.json" "$tmp/$ws/"
  done
done
if [ "$fresh" = 0 ] && [ -f package-lock.json ]; then cp package-lock.json "$tmp/"; fi

echo "resolving with npm $("${npm_cmd[@]}" --version) in $tmp (no node_modules, no install scripts)"
(cd "$tmp" && "${npm_cmd[@]}" install --package-lock-only --ignore-scripts --no-audit --no-fund)

# Every dependency (optional ones included) of every locked package must have an entry, found the
# way Node resolves it (in its own node_modules, then in its parents'): `npm ci` refuses otherwise.
node - "$tmp/package-lock.json" <<'EOF'
const lock = require(process.argv[2]);
const pkgs = lock.packages;
function resolves(from, name) {
  let dir = from;
  for (;;) {
    if (pkgs[`${dir ? `${dir}/` : ""}node_modules/${name}`]) return true;
    if (!dir) return false;
    const i = dir.lastIndexOf("/node_modules/");
    dir = i < 0 ? "" : dir.slice(0, i);
  }
}
const missing = [];
for (const [key, entry] of Object.entries(pkgs)) {
  if (entry.link) continue;
  for (const name of Object.keys({ ...entry.dependencies, ...entry.optionalDependencies })) {
    if (!resolves(key, name)) missing.push(`${key || "(root)"} -> ${name}`);
  }
}
const byOs = {};
for (const entry of Object.values(pkgs)) for (const os of entry.os ?? []) byOs[os] = (byOs[os] ?? 0) + 1;
console.log(`${Object.keys(pkgs).length} entries; packages restricted to an OS: ${["linux", "darwin", "win32"].map((os) => `${os} ${byOs[os] ?? 0}`).join(", ")}`);
if (missing.length > 0) {
  console.error(`the lock misses ${missing.length} dependencies:\n  ${missing.slice(0, 20).join("\n  ")}`);
  process.exit(1);
}
EOF

cp "$tmp/package-lock.json" package-lock.json
echo "wrote package-lock.json; check it with: npm ci"
