#!/usr/bin/env bash
# Re-vendor the JSON schemas that paved-validate embeds (see schemas/README.md).
#
# Kubernetes kinds: the strict schemas shipped as package data of the PyPI package
# `kubernetes-validate` (Apache-2.0), pinned by version and wheel hash, installed into a
# throw-away venv. CRDs: copied from ../shared/schemas/crds (datree's CRDs-catalog, MIT).
#
# Idempotent: each target directory is emptied of *.json and refilled, so running it twice
# changes nothing and a kind dropped from the list disappears. Files are copied byte for byte.
#
# Usage: scripts/vendor-schemas.sh            (from anywhere inside the repository)
set -euo pipefail

KV_VERSION="1.37.0"
KV_SHA256="85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9"
KUBE_VERSION="1.31"
PYTHON="${PYTHON:-python3}"

# The Kubernetes schema files of the kinds table (crates/paved-kinds), as named inside the package
# (<kind>-<group prefix>-<version>.json); a test fails when this list and the table disagree.
# `_definitions.json` holds the shared `$defs` every kind file `$ref`s; it is required.
KINDS=(
  _definitions.json
  configmap-v1.json
  cronjob-batch-v1.json
  deployment-apps-v1.json
  horizontalpodautoscaler-autoscaling-v2.json
  ingress-networking-v1.json
  job-batch-v1.json
  limitrange-v1.json
  namespace-v1.json
  networkpolicy-networking-v1.json
  pod-v1.json
  poddisruptionbudget-policy-v1.json
  resourcequota-v1.json
  role-rbac-v1.json
  rolebinding-rbac-v1.json
  service-v1.json
  serviceaccount-v1.json
  statefulset-apps-v1.json
)

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crd_source="${repo_root}/../shared/schemas/crds"
kube_target="${repo_root}/schemas/kubernetes/v${KUBE_VERSION}"
crd_target="${repo_root}/schemas/crds"

tmp="$(mktemp -d)"
trap 'rm -rf "${tmp}"' EXIT

# Hash-pinned, no dependencies: only the package data is needed, never its code.
printf 'kubernetes-validate==%s --hash=sha256:%s\n' "${KV_VERSION}" "${KV_SHA256}" >"${tmp}/requirements.txt"
"${PYTHON}" -m venv "${tmp}/venv"
"${tmp}/venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --require-hashes \
  -r "${tmp}/requirements.txt"
# find_spec locates the package without importing it (its code needs the skipped dependencies).
package_dir="$("${tmp}/venv/bin/python" -c 'import importlib.util; print(importlib.util.find_spec("kubernetes_validate").submodule_search_locations[0])')"
kube_source="${package_dir}/kubernetes-json-schema/v${KUBE_VERSION}.0-local-strict"

if [[ ! -d "${kube_source}" ]]; then
  echo "error: ${kube_source} not found in kubernetes-validate ${KV_VERSION}" >&2
  exit 1
fi
if [[ ! -d "${crd_source}" ]]; then
  echo "error: CRD source ${crd_source} not found" >&2
  exit 1
fi

mkdir -p "${kube_target}" "${crd_target}"
rm -f "${kube_target}"/*.json "${crd_target}"/*.json
for file in "${KINDS[@]}"; do
  cp "${kube_source}/${file}" "${kube_target}/${file}"
done
cp "${crd_source}"/*.json "${crd_target}/"
chmod 0644 "${kube_target}"/*.json "${crd_target}"/*.json

echo "vendored $(ls "${kube_target}" | wc -l) Kubernetes ${KUBE_VERSION} schemas (kubernetes-validate ${KV_VERSION}) and $(ls "${crd_target}"/*.json | wc -l) CRD schemas" >&2
