#!/usr/bin/env bash
# Builds the Debian package of Vouch from this checkout: a self-contained vouch (dotnet publish, one file,
# ReadyToRun; no .NET runtime needed where it is installed), its configuration, unit, man pages and
# maintainer scripts, assembled and packed with dpkg-deb. Needs the .NET 10 SDK and, for the first build of a
# checkout, npm (src/Vouch.Cli/Rollout/web: the chart library the rollout report inlines).
#
#   packaging/build-deb.sh [--arch amd64|arm64] [--revision N] [--out DIR]
#     --arch      the Debian architecture (default amd64; arm64 is cross-built)
#     --revision  the Debian revision (default 1): the version is <Version of Directory.Build.props>-N
#     --out       where the .deb goes (default packaging/out); its path is printed on the last line
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

arch=amd64 revision=1 out="$here/out"
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="$2"; shift 2 ;;
    --revision) revision="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "build-deb.sh: unknown option '$1'; expected --arch, --revision or --out" >&2; exit 2 ;;
  esac
done
case "$arch" in
  amd64) rid=linux-x64 ;;
  arm64) rid=linux-arm64 ;;
  *) echo "build-deb.sh: --arch '$arch': expected amd64 or arm64" >&2; exit 2 ;;
esac
case "$revision" in ''|*[!0-9]*) echo "build-deb.sh: --revision '$revision': expected a number" >&2; exit 2 ;; esac
for tool in dotnet dpkg-deb gzip; do
  command -v "$tool" >/dev/null || { echo "build-deb.sh: $tool is required" >&2; exit 1; }
done

upstream="$(sed -n 's|.*<Version>\(.*\)</Version>.*|\1|p' "$root/Directory.Build.props" | head -n 1)"
[ -n "$upstream" ] || { echo "build-deb.sh: no <Version> in Directory.Build.props" >&2; exit 1; }
version="$upstream-$revision"
# Reproducible dates: the last commit's, else now.
epoch="$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)"
export SOURCE_DATE_EPOCH="$epoch"

work="$out/work-$arch"
publish="$work/publish"
tree="$work/tree"
rm -rf "$tree"
mkdir -p "$publish" "$tree"

echo "build-deb.sh: publishing vouch $version for $rid..." >&2
log="$work/publish.log"
if ! dotnet publish "$root/src/Vouch.Cli/Vouch.Cli.csproj" -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=true -p:PublishReadyToRun=true -p:DebugType=none -p:GenerateDocumentationFile=false \
    -o "$publish" --nologo -v quiet >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi

install -D -m 0755 "$publish/Vouch.Cli" "$tree/usr/bin/vouch"
install -D -m 0644 "$here/vouch.toml" "$tree/etc/vouch/vouch.toml"
install -D -m 0644 "$here/vouch.service" "$tree/lib/systemd/system/vouch.service"
install -D -m 0644 "$here/debian/lintian-overrides" "$tree/usr/share/lintian/overrides/vouch"

doc="$tree/usr/share/doc/vouch"
install -d "$doc"
install -m 0644 "$here/debian/copyright" "$doc/copyright"
gzip -9n -c "$here/debian/changelog" > "$doc/changelog.Debian.gz"
for file in README.md docs/install.md docs/configuration.md docs/postfix.md docs/milter.md docs/registration.md docs/rmx.md docs/decision-log.md docs/domain-owners.md; do
  install -m 0644 "$root/$file" "$doc/$(basename "$file")"
done
install -m 0644 "$root/examples/vouch.toml" "$doc/vouch.toml.example"

# The man pages come from the commands' own help (a host build: the published binary may be another architecture).
man="$tree/usr/share/man/man1"
install -d "$man"
dotnet run --project "$root/src/Vouch.Cli/Vouch.Cli.csproj" -c Release --no-launch-profile -- \
  manpages "$man" --date "$(date -u -d "@$epoch" +%Y-%m-%d)" >/dev/null
gzip -9n "$man"/*.1

install -d -m 0755 "$tree/DEBIAN"
for script in postinst prerm postrm; do
  install -m 0755 "$here/debian/$script" "$tree/DEBIAN/$script"
done
install -m 0644 "$here/debian/conffiles" "$tree/DEBIAN/conffiles"
size="$(du -sk --exclude=DEBIAN "$tree" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE@/$size/" "$here/debian/control.in" > "$tree/DEBIAN/control"
(cd "$tree" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | sort -z | xargs -0 md5sum) > "$tree/DEBIAN/md5sums"
chmod 0644 "$tree/DEBIAN/md5sums"
find "$tree" -exec touch -h -d "@$epoch" {} +

mkdir -p "$out"
deb="$out/vouch_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$tree" "$deb" >/dev/null
echo "$deb"
