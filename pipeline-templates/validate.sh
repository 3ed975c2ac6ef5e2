#!/usr/bin/env bash
# Validate the library against Microsoft's Azure Pipelines schema (as vendored
# by check-jsonschema), and optionally some generated pipelines too.
#
#   pipeline-templates/validate.sh [GENERATED_PIPELINE.yml ...]
#
# Library files are templates (`parameters:` with `stages:` or `steps:`), so
# they go through check-jsonschema's azure-pipelines transform, which unnests
# `${{ if }}` / `${{ each }}` blocks. Generated pipelines are plain pipelines.
# Needs: pip install check-jsonschema
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
schema=(--builtin-schema vendor.azure-pipelines --regex-variant python)

mapfile -t templates < <(find "$here" -name '*.yml' -type f | LC_ALL=C sort)
check-jsonschema "${schema[@]}" --data-transform azure-pipelines "${templates[@]}"
if [ "$#" -gt 0 ]; then
  check-jsonschema "${schema[@]}" "$@"
fi
