#!/usr/bin/env bash
# Fetch the raw documents for the independent retrieval evaluation set (bench/retrieval_eval/).
#
#   bench/fetch_retrieval_docs.sh [folder]        (default /tmp/retrieval_docs)
#
# Downloads three Debian documentation packages with `apt-get download`, extracts them with
# `dpkg-deb -x` and copies the HTML pages of each manual into <folder>/<package>/, keeping the
# path below the package's documentation folder:
#
#   debian-reference-en   Debian Reference (DocBook, one page per chapter)   usr/share/debian-reference/*.en.html
#   developers-reference  Debian Developer's Reference (Sphinx)               usr/share/developers-reference/*.html
#   git-doc               git's manual pages, guides and user manual           usr/share/doc/git-doc/*.html
#
# Only HTML pages are kept (no images, css, js, pdf, txt). Left out on purpose:
#   developers-reference/developers-reference.html  the single-page edition (duplicates every chapter)
#   developers-reference/search.html                the empty Sphinx search form
#   git-doc/index.html                              a symlink to git.html
#   git-doc/howto/, git-doc/technical/              notes for git's own developers, not the manual
# Any *.html.gz is uncompressed. <folder>/PACKAGES.txt lists "name version" of each .deb.
# Running it again replaces <folder>/<package>/ and PACKAGES.txt (idempotent). The questions in
# bench/retrieval_eval/ were written against the versions in EXPECTED below; another version
# only gives a warning, but evidence phrases may then have moved or changed.
set -euo pipefail

DEST=${1:-/tmp/retrieval_docs}
PACKAGES="debian-reference-en developers-reference git-doc"
declare -A EXPECTED=(
  [debian-reference-en]="2.100"
  [developers-reference]="12.18"
  [git-doc]="1:2.39.5-0+deb12u3"
)

mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && apt-get download $PACKAGES >/dev/null 2>&1) || {
  echo "apt-get download $PACKAGES failed (is apt's package list current? try apt-get update)" >&2
  exit 1
}

# copy_html <package> <source dir> [names to skip...]: top-level *.html and *.html.gz of <source dir>
copy_html() {
  local pkg=$1 src=$2; shift 2
  local out="$DEST/$pkg" f name skip n=0
  [ -d "$src" ] || { echo "$pkg: $src not found in the package" >&2; exit 1; }
  rm -rf "$out"
  mkdir -p "$out"
  for f in "$src"/*.html "$src"/*.html.gz; do
    [ -e "$f" ] || continue
    [ -L "$f" ] && continue            # symlinks duplicate another page
    name=$(basename "$f")
    for skip in "$@"; do [ "$name" = "$skip" ] && continue 2; done
    case "$name" in
      *.html.gz) gunzip -c "$f" > "$out/${name%.gz}" ;;
      *)         cp "$f" "$out/$name" ;;
    esac
    n=$((n + 1))
  done
  [ "$n" -gt 0 ] || { echo "$pkg: no HTML pages found in $src" >&2; exit 1; }
}

: > "$WORK/PACKAGES.txt"
for pkg in $PACKAGES; do
  deb=$(ls "$WORK"/"${pkg}"_*.deb)
  version=$(dpkg-deb -f "$deb" Version)
  echo "$pkg $version" >> "$WORK/PACKAGES.txt"
  if [ "$version" != "${EXPECTED[$pkg]}" ]; then
    echo "warning: $pkg is $version, the questions were written against ${EXPECTED[$pkg]}" >&2
  fi
  root="$WORK/root-$pkg"
  dpkg-deb -x "$deb" "$root"
  case "$pkg" in
    debian-reference-en)  copy_html "$pkg" "$root/usr/share/debian-reference" ;;
    developers-reference) copy_html "$pkg" "$root/usr/share/developers-reference" developers-reference.html search.html ;;
    git-doc)              copy_html "$pkg" "$root/usr/share/doc/git-doc" ;;
  esac
done
cp "$WORK/PACKAGES.txt" "$DEST/PACKAGES.txt"

files=$(find "$DEST" -mindepth 2 -name '*.html' -type f | wc -l)
bytes=$(find "$DEST" -mindepth 2 -name '*.html' -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}')
echo "$DEST: $files HTML pages, $bytes bytes"
cat "$DEST/PACKAGES.txt"
