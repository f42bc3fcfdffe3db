#!/usr/bin/env bash
# Debian's shiny-server (the real one) in a private prefix, without installing it: its package depends on
# Debian's nodejs 18 and libnode108, which conflict with the machine's Node 20 (nodesource). So the .debs
# of shiny-server, Debian's nodejs/libnode108 and the node-* modules shiny-server needs at run time are
# downloaded with apt-get and unpacked with dpkg-deb into PREFIX; dpkg's database and /usr stay untouched.
# PREFIX/bin/shiny-server runs it: Debian's node 18 with PREFIX's libnode and PREFIX's node modules.
#
# Usage: scripts/install_shiny_server.sh PREFIX   (idempotent: a marker names the version installed)
set -euo pipefail
prefix="$(mkdir -p "$1" && cd "$1" && pwd)"
version="$(apt-cache policy shiny-server | awk '/Candidate:/ {print $2}')"
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  apt-get update -qq  # a fresh machine has no package lists yet
  version="$(apt-cache policy shiny-server | awk '/Candidate:/ {print $2}')"
fi
if [ -z "$version" ] || [ "$version" = "(none)" ]; then
  echo "apt knows no shiny-server package, even after apt-get update (Debian bookworm's main has it)." >&2
  exit 1
fi
marker="$prefix/.installed-$version"
[ -e "$marker" ] && exit 0
# libnode108 loads three of its built-in modules from fixed paths under /usr/share/nodejs (Debian builds
# node with them "externalized"): those three packages are installed for real through apt; they need no
# nodejs and leave the machine's Node 20 alone.
missing=""
for pkg in node-acorn node-cjs-module-lexer node-undici; do dpkg -s "$pkg" >/dev/null 2>&1 || missing="$missing $pkg"; done
if [ -n "$missing" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing; fi
node_version="$(apt-cache policy libnode108 | awk '/Candidate:/ {print $2}')"

# The run-time closure: shiny-server's dependencies, followed through Depends only, keeping the Node
# modules (node-*, handlebars), libnode108 and shared libraries the machine lacks. Its test tools
# (mocha, should, sinon), npm and nodejs itself (taken at libnode's version below) are not needed to run.
skip=" nodejs npm mocha node-should node-sinon r-base r-cran-shiny pandoc python3 adduser "
declare -A seen=()
queue=(shiny-server)
wanted=()
while [ ${#queue[@]} -gt 0 ]; do
  pkg="${queue[0]}"
  queue=("${queue[@]:1}")
  [ -n "${seen[$pkg]:-}" ] && continue
  seen[$pkg]=1
  wanted+=("$pkg")
  # Each "Depends:" line is one alternative group's first member; a virtual one (<name>) is followed by
  # its providers, of which the first is taken.
  while read -r dep; do
    case "$skip" in *" $dep "*) continue ;; esac
    case "$dep" in
      node-* | handlebars | libnode* | libjs-*) queue+=("$dep") ;;
      *) dpkg -s "$dep" >/dev/null 2>&1 || queue+=("$dep") ;;
    esac
  done < <(apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces \
    --no-enhances --no-pre-depends "$pkg" | awk '
      /^  Depends: </ { virtual = 1; next }
      /^  Depends: / { virtual = 0; print $2; next }
      /^  \|?Depends:/ { virtual = 0; next }
      /^    / && virtual { print $1; virtual = 0; next }
      { virtual = 0 }')
done

debs="$(mktemp -d)"
trap 'rm -rf "$debs"' EXIT
(cd "$debs" && apt-get download -q "${wanted[@]}" "nodejs=$node_version" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
rm -rf "$prefix/root"
mkdir -p "$prefix/root" "$prefix/bin"
for deb in "$debs"/*.deb; do dpkg-deb -x "$deb" "$prefix/root"; done
test -x "$prefix/root/usr/bin/node" && test -f "$prefix/root/usr/lib/shiny-server/lib/main.js"
# The packages' absolute symlinks (shiny-server's config/ -> /etc/shiny-server, node modules -> /usr/share)
# would leave the prefix: they are pointed at the unpacked copies instead.
find "$prefix/root" -type l -lname '/*' | while read -r link; do
  target="$(readlink "$link")"
  if [ -e "$prefix/root$target" ]; then ln -sfn "$prefix/root$target" "$link"; fi
done

cat >"$prefix/bin/shiny-server" <<EOF
#!/usr/bin/env bash
# Debian's shiny-server $version on Debian's node $node_version, both unpacked under $prefix/root.
root="$prefix/root"
export LD_LIBRARY_PATH="\$root/usr/lib/x86_64-linux-gnu\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export NODE_PATH="\$root/usr/share/nodejs:\$root/usr/lib/nodejs:\$root/usr/lib/x86_64-linux-gnu/nodejs"
exec "\$root/usr/bin/node" "\$root/usr/lib/shiny-server/lib/main.js" "\$@"
EOF
chmod +x "$prefix/bin/shiny-server"
rm -f "$prefix"/.installed-*
touch "$marker"
echo "shiny-server $version in $prefix (run $prefix/bin/shiny-server CONFIG)"
