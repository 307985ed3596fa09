#!/usr/bin/env bash
# Gateway overhead benchmark: the same load sent to the fake upstream directly and through the gateway, on loopback,
# with the fake, the gateway (Release Gateway.Api.dll, standalone) and the load generator in three processes, so CPU
# per request (/proc/<pid>/stat) and RSS (/proc/<pid>/status) are measured per process. Prints a table with
# req/s, p50/p99 latency, time to first byte of streams, CPU µs per request, RSS and gateway/direct ratios, checks
# the issue's targets, and writes the same report as Markdown (for the README). Not run by CI.
#
# Usage: deploy/bench.sh [options]           (run from anywhere; options go to the benchmark executable)
#   -c, --connections N     concurrent keep-alive connections per path (default 32)
#   -d, --duration S        measured seconds per scenario and path (default 10)
#   -w, --warmup S          warm-up seconds before each measured window (default 2)
#   --jit-warmup S          unmeasured seconds of load over all paths before the first window, so both servers run
#                           steady-state JIT code (default 30: the gateway loads Orleans and ASP.NET Core, and on 2 busy
#                           cores tiering and PGO keep recompiling for well over 10 s; shorter warm-ups measure JIT work)
#   --chunks N              content chunks per streamed answer of the fake (default 20)
#   -s, --scenarios LIST    chat, chat-stream, messages-stream, comma-separated (default chat,chat-stream)
#   --messages              add messages-stream: Anthropic /v1/messages stream through the gateway (translated to a
#                           Chat stream upstream) vs the Chat stream sent directly; skipped with the gateway's answer
#                           while /v1/messages is not wired
#   --model ID              model of the requests (default gpt-4.1: it lists only /chat/completions)
#   --builtin               load non-stream scenarios with the built-in generator too; without it this script
#                           passes --wrk: non-stream scenarios are loaded by wrk (installed with apt-get when
#                           missing), which needs less CPU per request than any .NET client; streams always use the
#                           built-in generator, which times the first byte
#   --gateway-arg ARG       extra gateway argument, e.g. --gateway-arg=--Gateway:verbose=false (repeatable)
#   --gateway-env N=V       environment variable for the gateway, e.g. --gateway-env DOTNET_gcServer=0 (repeatable)
#   --gateway-dll PATH      another gateway build to measure (default: this tree's api, built in Release here)
#   --markdown FILE         where to write the Markdown report (default: $BENCH_MARKDOWN or /tmp/gateway-bench.md)
#   --request-timeout S     seconds in-flight requests may take after a window before connections are cut (30)
#   -h, --help              the benchmark's own help
# Environment:
#   BENCH_NO_BUILD=1        skip the Release build (use the last one)
#   BENCH_MARKDOWN=FILE     default for --markdown
#
# The machine's cores are shared by the load generator, the gateway and the fake (and anything else running): the
# report prints the load average and the CPU share other processes took, so a noisy run can be recognised.
# Everything runs on 127.0.0.1, every run is bounded in time, and the processes stop when the run ends.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=()
wants_wrk=true
has_markdown=false
has_gateway_dll=false
for arg in "$@"; do
  case "$arg" in
    --gateway-dll|--gateway-dll=*) has_gateway_dll=true ;;
    --builtin) wants_wrk=false; continue ;;
    --wrk) continue ;;
    --markdown|--markdown=*) has_markdown=true ;;
  esac
  args+=("$arg")
done

if $wants_wrk && ! command -v wrk >/dev/null 2>&1; then
  echo "bench.sh: installing wrk" >&2
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get install -y wrk >/dev/null 2>&1 || { $sudo apt-get update >/dev/null 2>&1 && $sudo apt-get install -y wrk >/dev/null 2>&1; } || true
fi

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "bench.sh: building Release" >&2
  dotnet build tests/Gateway.Benchmarks -c Release --nologo -v quiet >&2
fi

bench_dll="$root/tests/Gateway.Benchmarks/bin/Release/net10.0/Gateway.Benchmarks.dll"
if ! $has_gateway_dll; then
  args+=(--gateway-dll "$root/api/bin/Release/net10.0/Gateway.Api.dll")
fi
if ! $has_markdown; then
  args+=(--markdown "${BENCH_MARKDOWN:-${TMPDIR:-/tmp}/gateway-bench.md}")
fi
if $wants_wrk; then
  if command -v wrk >/dev/null 2>&1; then
    args+=(--wrk)
  else
    echo "bench.sh: wrk could not be installed; using the built-in generator for every scenario" >&2
  fi
fi

exec dotnet "$bench_dll" "${args[@]}"
