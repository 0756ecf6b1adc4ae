#!/bin/sh
# make deb: a Debian binary package from a DESTDIR install.
#   .ci/debian/build-deb.sh ROOT OUTDIR
# ROOT holds `make install PREFIX=/usr DESTDIR=ROOT`; this adds what a
# package needs and Debian policy asks for, then writes
# OUTDIR/demux_VERSION_ARCH.deb with dpkg-deb:
#   - the manual pages and the changelog compressed (gzip -9n, no
#     timestamp), the copyright file (machine-readable, copyright here);
#   - the binary stripped of its debugging symbols (the build keeps them);
#   - DEBIAN/control from control.in: version from decode/demux.h, which
#     must be the changelog's; the dependencies from dpkg-shlibdeps;
#     Installed-Size from du; DEBIAN/md5sums.
# The packaging files live here, in .ci/debian/, because the top level of
# the repository is fixed (no debian/ folder): the package is built from a
# plain `make install`, not by dpkg-buildpackage.
set -eu
root=$1 outdir=$2
here=$(cd "$(dirname "$0")" && pwd)
version=$(sed -n 's/^#define DX_VERSION "\(.*\)"$/\1/p' decode/demux.h)
logged=$(sed -n '1s/^demux (\([^)]*\)).*/\1/p' "$here/changelog")
if [ "$version" != "$logged" ]; then
    echo "build-deb: version $version (decode/demux.h) has no entry in .ci/debian/changelog (top: $logged)" >&2
    exit 1
fi
arch=$(dpkg --print-architecture)
doc=$root/usr/share/doc/demux

# dpkg keeps the list of files; the install manifest is for make uninstall.
rm -f "$root/usr/share/demux/install-manifest"
find "$root/usr/share/man" -type f -name '*.[0-9]' -exec gzip -9nf {} +
install -d -m 755 "$doc"
install -m 644 "$here/copyright" "$doc/copyright"
gzip -9nc "$here/changelog" >"$doc/changelog.gz"
chmod 644 "$doc/changelog.gz"
strip --strip-unneeded --remove-section=.comment --remove-section=.note "$root/usr/bin/demux"

# dpkg-shlibdeps reads a source package's debian/control: give it one.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/debian"
printf 'Source: demux\n\nPackage: demux\nArchitecture: any\n' >"$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O -e"$OLDPWD/$root/usr/bin/demux" 2>/dev/null |
    sed -n 's/^shlibs:Depends=//p')
[ -n "$depends" ] || { echo "build-deb: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

install -d -m 755 "$root/DEBIAN"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s|@VERSION@|$version|" -e "s|@ARCH@|$arch|" -e "s|@SIZE@|$size|" \
    -e "s|@DEPENDS@|$depends|" "$here/control.in" >"$root/DEBIAN/control"
(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

deb=$outdir/demux_${version}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb.new" >/dev/null
mv "$deb.new" "$deb"
echo "$deb"
