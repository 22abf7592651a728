#!/usr/bin/env bash
# Renders the report PDFs the tests leave in artifacts/reports/ (reference cohorts, empty) to PNG pages for a look.
# Needs poppler-utils (apt-get install -y poppler-utils). Usage: tests/render-report-pages.sh [--no-test] [dpi]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/artifacts/reports"
if [[ "${1:-}" != "--no-test" ]]; then
  dotnet test "$root/tests/PvpServerless.Tests" --nologo -v q --filter "FullyQualifiedName~Reports.OutcomesReportTests" >/dev/null
else
  shift
fi
dpi="${1:-80}"
for pdf in "$out"/*.pdf; do
  name="$(basename "$pdf" .pdf)"
  rm -f "$out/$name"-page-*.png
  pdftoppm -png -r "$dpi" "$pdf" "$out/$name-page"
  echo "$name: $(ls "$out/$name"-page-*.png | wc -l) pages, $(stat -c %s "$pdf") bytes"
done
pdffonts "$out/reference-60.pdf"
