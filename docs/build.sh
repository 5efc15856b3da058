#!/usr/bin/env bash
# Build the documentation: HTML in docs/_build/html. Warnings are errors (-W --keep-going lists
# them all, then fails); nothing is fetched (intersphinx reads docs/_inventories/; no
# linkcheck). The example gallery is executed. PYTHON picks the interpreter (default: python3).
#   bash docs/build.sh            # incremental
#   bash docs/build.sh --clean    # from scratch, as CI does
set -euo pipefail
PYTHON=${PYTHON:-python3}
if [[ "$PYTHON" == */* ]]; then  # a relative path stays valid after the cd below
    PYTHON="$(cd "$(dirname "$PYTHON")" && pwd)/$(basename "$PYTHON")"
fi
cd "$(dirname "$0")"
if [[ "${1:-}" == "--clean" ]]; then
    rm -rf _build api/generated auto_examples
fi
export MPLBACKEND=agg
start=$(date +%s)
"$PYTHON" -m sphinx -b html -W --keep-going -q -j auto . _build/html
echo "docs: built in $(( $(date +%s) - start )) s -> docs/_build/html/index.html"
