#!/usr/bin/env bash
# Regenerates the bundled report fonts: DejaVu Sans Condensed (regular, bold) from Debian's fonts-dejavu-core, subset
# with fontTools (Debian package fonttools) to Latin incl. Danish æøå ÆØÅ and the symbols the report prints
# (± – — ≥ ≤ … × − • → ’ “ ” χ²). Skia embeds whole fonts in a PDF, so the subset keeps each report small.
# Run once after changing the character set: apt-get install -y fonts-dejavu-core fonttools && ./subset-fonts.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src=/usr/share/fonts/truetype/dejavu
# Basic Latin, Latin-1 Supplement (æøåÆØÅ ± × µ ² ³ ·), Latin Extended-A, and the punctuation/maths symbols used.
unicodes="U+0020-007E,U+00A0-00FF,U+0100-017F,U+2010-2015,U+2018-201E,U+2022,U+2026,U+2030,U+03C7,U+2190-2193,U+2212,U+2248,U+2260,U+2264,U+2265"
for face in DejaVuSansCondensed DejaVuSansCondensed-Bold; do
  pyftsubset "$src/$face.ttf" --unicodes="$unicodes" --layout-features='kern,liga' \
    --no-hinting --desubroutinize --name-IDs='*' --output-file="$here/$face.ttf"
done
cp /usr/share/doc/fonts-dejavu-core/copyright "$here/LICENSE-DejaVu.txt"
ls -l "$here"/*.ttf
