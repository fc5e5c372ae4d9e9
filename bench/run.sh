#!/usr/bin/env bash
# Benchmarks of the prediction API: builds Release, starts the server and the floor app on free loopback ports
# with temporary stores, runs every scenario, stops everything, prints a markdown table of ratios and writes it
# to bench/results/<UTC date>.md. Every load run is bounded in time and in request count.
#
#   bench/run.sh                      full run (about 15 minutes on 2 cores)
#   BENCH_SECONDS=3 bench/run.sh      shorter measured phases (default 4 s each, after BENCH_WARMUP=2 s)
#   BENCH_ROUNDS=3                    interleaved rounds per scenario; the report shows the median
#   BENCH_MEMORY_REQUESTS=100000      requests between the two RSS readings; 0 skips the memory phase
#   BENCH_THREAD_VARIANTS=0           skip the AllowSpinning=true and IntraOpThreads=0 variants
#   BENCH_LARGE_BODY_ROUNDS=10        rounds of 4 MiB request bodies between the RSS readings; 0 skips the phase
#   BENCH_ONLY="batching-off capture-off"   run only these targets (server configs, `bare`, `in-process`,
#                                     `in-process-limit`, `service`, `large-bodies`)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_SECONDS="${BENCH_SECONDS:-4}"
ROUNDS="${BENCH_ROUNDS:-3}"
WARMUP_SECONDS="${BENCH_WARMUP:-2}"
MEMORY_REQUESTS="${BENCH_MEMORY_REQUESTS:-100000}"
THREAD_VARIANTS="${BENCH_THREAD_VARIANTS:-1}"
ONLY="${BENCH_ONLY:-}"
LARGE_BODY_ROUNDS="${BENCH_LARGE_BODY_ROUNDS:-10}"
CONFIG=Release
TFM=net10.0

WORK="$(mktemp -d -t modelfunctions-bench.XXXXXX)"
RESULTS="$WORK/results.tsv"
PIDS=()

LOGS="$ROOT/bench/results/logs-$(date -u +%Y-%m-%dT%H%M%SZ)"

cleanup() {
    for pid in "${PIDS[@]:-}"; do
        [[ -n "$pid" ]] && stop_process "$pid"
    done
    # Keep the processes' logs (git-ignored) for a look at anything odd, then drop the stores.
    mkdir -p "$LOGS"
    cp "$WORK"/*.log "$LOGS"/ 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

stop_process() {
    local pid="$1"
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

forget_pid() {
    local keep=()
    for pid in "${PIDS[@]:-}"; do
        [[ "$pid" != "$1" && -n "$pid" ]] && keep+=("$pid")
    done
    PIDS=("${keep[@]:-}")
}

wait_for() {
    local url="$1" tries="${2:-200}"
    for _ in $(seq 1 "$tries"); do
        curl -sf -o /dev/null "$url" && return 0
        sleep 0.3
    done
    log "timed out waiting for $url"
    return 1
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# The managed heap after the last collection, from the runtime's own meter on /metrics (all generations).
heap_kib() { curl -sf "$1/metrics" | awk '/^dotnet_gc_last_collection_heap_size_bytes\{/ { s += $2 } END { print int(s / 1024) }'; }

SERVER_BIN="$ROOT/src/ModelFunctions.Server/bin/$CONFIG/$TFM"
FLOOR="$ROOT/bench/ModelFunctions.Bench.Floor/bin/$CONFIG/$TFM/ModelFunctions.Bench.Floor"
LOAD="$ROOT/bench/ModelFunctions.Bench.Load/bin/$CONFIG/$TFM/ModelFunctions.Bench.Load"
SERVICE="$ROOT/bench/ModelFunctions.Bench.Service/bin/$CONFIG/$TFM/ModelFunctions.Bench.Service"
IRIS="$ROOT/src/ModelFunctions.Server/Sample/model.onnx"
IRIS_REFERENCE="$ROOT/src/ModelFunctions.Server/Sample/reference.csv"
MLP="$ROOT/tests/models/mlp.onnx"
MLP_WIDE="$WORK/mlp_wide.onnx"

# model -> input name, features
input_of() { [[ "$1" == iris ]] && echo features || echo x; }
features_of() { [[ "$1" == iris ]] && echo 4 || echo 256; }

# load <url> <model> <body> <connections> [extra args]: prints the generator's JSON line
load() {
    local url="$1" model="$2" body="$3" conns="$4"
    shift 4
    "$LOAD" --url "$url" --connections "$conns" --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS" \
        --input "$(input_of "$model")" --features "$(features_of "$model")" --body "$body" "$@"
}

# record <scenario> <config> <model> <body> <connections> <json>
record() {
    for pid in "${PIDS[@]:-}"; do
        if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then
            log "process $pid has exited; logs are kept under $LOGS"
        fi
    done
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"
    log "$1 $2 $3 $4 c=$5: $6"
}

SERVER_PID=""
SERVER_URL=""

# start_server <name> [VAR=value ...]: seeds iris into an empty folder store, then drops the MLP as mlp/1
start_server() {
    local name="$1"
    shift
    local port store
    port="$(free_port)"
    store="$WORK/store-$name"
    mkdir -p "$store"
    SERVER_URL="http://127.0.0.1:$port"
    (cd "$WORK" && exec env "ModelFunctions__Store=$store" "ModelFunctions__Serving__CacheFolder=$WORK/cache-$name" "$@" \
        dotnet "$SERVER_BIN/ModelFunctions.Server.dll" --contentRoot "$SERVER_BIN" --urls "$SERVER_URL" \
        > "$WORK/server-$name.log" 2>&1) &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_for "$SERVER_URL/v2/models/iris/ready"
    mkdir -p "$store/models/mlp/1"
    cp "$MLP" "$store/models/mlp/1/model.onnx.partial"
    mv "$store/models/mlp/1/model.onnx.partial" "$store/models/mlp/1/model.onnx"
    curl -sf -o /dev/null -X POST "$SERVER_URL/api/registry/scan" || true
    wait_for "$SERVER_URL/v2/models/mlp/ready"
    log "server '$name' ($*) on $SERVER_URL, pid $SERVER_PID"
}

stop_server() {
    stop_process "$SERVER_PID"
    forget_pid "$SERVER_PID"
    SERVER_PID=""
}

# Targets: the two floors and the server configs. BENCH_ONLY picks some of them by name.
ALL_CONFIGS=(batching-off capture-off batching-on batching-off-spin batching-off-t0 batching-on-t0)
CONFIGS=(batching-off capture-off batching-on)
[[ "$THREAD_VARIANTS" == 1 ]] && CONFIGS+=(batching-off-spin batching-off-t0 batching-on-t0)
RUN_BARE=1
RUN_IN_PROCESS=1
RUN_SERVICE=1
RUN_LARGE_BODIES=1
RUN_LIMIT=1
if [[ -n "$ONLY" ]]; then
    CONFIGS=()
    RUN_BARE=0
    RUN_IN_PROCESS=0
    RUN_SERVICE=0
    RUN_LARGE_BODIES=0
    RUN_LIMIT=0
    for name in $ONLY; do
        case "$name" in
            bare) RUN_BARE=1 ;;
            in-process) RUN_IN_PROCESS=1 ;;
            service) RUN_SERVICE=1 ;;
            large-bodies) RUN_LARGE_BODIES=1 ;;
            in-process-limit) RUN_LIMIT=1 ;;
            *)
                if [[ " ${ALL_CONFIGS[*]} " != *" $name "* ]]; then
                    log "BENCH_ONLY: unknown target '$name' (known: bare in-process in-process-limit service large-bodies ${ALL_CONFIGS[*]})"
                    exit 2
                fi
                CONFIGS+=("$name")
                ;;
        esac
    done
fi

# The wider MLP of the in-process limit is made here by make_models.py, with Debian's python3-onnx (installed when
# missing and allowed); without it the limit covers the checked-in MLP alone.
if [[ "$RUN_LIMIT" == 1 ]]; then
    bash "$ROOT/tests/tools/install-debian-packages.sh" python3-numpy python3-onnx || true
    /usr/bin/python3 "$ROOT/tests/models/make_models.py" --bench "$WORK" > "$WORK/make_models.log" 2>&1 \
        || log "could not make mlp_wide.onnx (see make_models.log): the in-process limit covers the MLP alone"
fi

log "building $CONFIG (server, floor, load generator, service harness)"
for project in src/ModelFunctions.Server bench/ModelFunctions.Bench.Floor bench/ModelFunctions.Bench.Load bench/ModelFunctions.Bench.Service; do
    dotnet build "$ROOT/$project" -c "$CONFIG" -nologo -v quiet > "$WORK/build.log" 2>&1 || { cat "$WORK/build.log"; exit 1; }
done

# bodies_of <config> <connections>: the bodies a server config is measured with
bodies_of() {
    case "$1" in
        batching-off) echo json binary ;;
        # Batching and capture pay off (or cost) on throughput: binary too at 32 connections.
        batching-on | capture-off) [[ "$2" == 32 ]] && echo json binary || echo json ;;
        *) echo json ;;
    esac
}

# 1b. The serving engine in-process (InferenceService, no HTTP), monitoring capture on and off, interleaved over
# the same rounds inside one process: the capture's cost to the microsecond, with the bytes it allocates.
if [[ "$RUN_SERVICE" == 1 ]]; then
    for model in iris mlp; do
        path="$IRIS"; reference=(--reference "$IRIS_REFERENCE")
        [[ "$model" == mlp ]] && path="$MLP" && reference=()
        while IFS= read -r line; do
            config="$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["config"])' "$line")"
            record service "$config" "$model" - 1 "$line"
        done < <("$SERVICE" --model "$path" "${reference[@]}" --name "$model" --input "$(input_of "$model")" \
            --features "$(features_of "$model")" --seconds "$RUN_SECONDS" --rounds "$ROUNDS")
    done
fi

# 2-5. Every HTTP target runs side by side (idle ones cost nothing) and the rounds interleave them, so a burst of
# other work on this shared machine lands on all of them alike; the report takes the median over rounds.
declare -A FLOOR_URL
if [[ "$RUN_BARE" == 1 ]]; then
    for model in iris mlp; do
        path="$IRIS"; [[ "$model" == mlp ]] && path="$MLP"
        port="$(free_port)"
        "$FLOOR" --model "$path" --urls "http://127.0.0.1:$port" > "$WORK/floor-$model.log" 2>&1 &
        PIDS+=("$!")
        FLOOR_URL[$model]="http://127.0.0.1:$port/infer"
        wait_for "http://127.0.0.1:$port/health"
    done
fi

declare -A SERVER
for config in "${CONFIGS[@]}"; do
    settings=()
    [[ "$config" == batching-on* ]] && settings+=("ModelFunctions__Batching__Enabled=true")
    # ONNX Runtime's own default (idle intra-op threads spin), which the server turns off unless told otherwise.
    [[ "$config" == *-spin ]] && settings+=("ModelFunctions__OnnxRuntime__AllowSpinning=true")
    # ONNX Runtime's own choice of intra-op threads (one per core) instead of the server's default of one per run.
    [[ "$config" == *-t0 ]] && settings+=("ModelFunctions__OnnxRuntime__IntraOpThreads=0")
    # Monitoring capture off: MonitoringCapture.Completed returns before touching anything (batching-off otherwise).
    [[ "$config" == capture-off ]] && settings+=("ModelFunctions__Monitoring__Enabled=false")
    start_server "$config" "${settings[@]}"
    SERVER[$config]="$SERVER_URL"
done
SERVER_PID=""

for round in $(seq 1 "$ROUNDS"); do
    log "round $round of $ROUNDS"
    # Every other round takes the server configs in reverse, so a config is not always measured just after the same one.
    order=("${CONFIGS[@]}")
    if (( round % 2 == 0 )); then
        order=()
        for (( i = ${#CONFIGS[@]} - 1; i >= 0; i-- )); do order+=("${CONFIGS[$i]}"); done
    fi
    for model in iris mlp; do
        # 1. In-process floor: InferenceSession.Run in a loop, one thread.
        path="$IRIS"; [[ "$model" == mlp ]] && path="$MLP"
        if [[ "$RUN_IN_PROCESS" == 1 ]]; then
            record in-process default "$model" - 1 "$("$FLOOR" --model "$path" --in-process --seconds "$RUN_SECONDS")"
        fi
        # 1c. The model's own limit on these cores: intra-op threads x runs at once, at 1 and 8 rows per run, on the
        # MLP and on the wider one (256-1024-1024-10) made at bench time.
        if [[ "$RUN_LIMIT" == 1 && "$model" == mlp ]]; then
            for limit_model in mlp mlp_wide; do
            limit_path="$path"; [[ "$limit_model" == mlp_wide ]] && limit_path="$MLP_WIDE"
            [[ -f "$limit_path" ]] || continue
            for rows in 1 8; do
                for threads in 1 2; do
                    for concurrency in 1 2; do
                        record in-process-limit "t${threads}x${concurrency}" "$limit_model" "rows$rows" "$concurrency" \
                            "$(FLOOR_INTRA_OP_THREADS=$threads "$FLOOR" --model "$limit_path" --in-process --rows "$rows" --concurrency "$concurrency" --seconds "$RUN_SECONDS")"
                    done
                done
            done
            done
        fi
        for conns in 1 32; do
            if [[ "$RUN_BARE" == 1 ]]; then
                record bare default "$model" json "$conns" "$(load "${FLOOR_URL[$model]}" "$model" json "$conns")"
            fi
            for config in "${order[@]}"; do
                for body in $(bodies_of "$config" "$conns"); do
                    record server "$config" "$model" "$body" "$conns" "$(load "${SERVER[$config]}/v2/models/$model/infer" "$model" "$body" "$conns")"
                done
            done
        done
    done
done

for pid in "${PIDS[@]}"; do
    stop_process "$pid"
done
PIDS=()

# 6. Memory: RSS after warm-up, then after MEMORY_REQUESTS more (a quarter each of iris/mlp x JSON/binary, 32 connections).
quarter=$((MEMORY_REQUESTS / 4))
if (( quarter > 0 )); then
    start_server memory
    for model in iris mlp; do
        for body in json binary; do
            load "$SERVER_URL/v2/models/$model/infer" "$model" "$body" 32 --warmup 0 --seconds 30 --requests 5000 > /dev/null
        done
    done
    # Both readings follow a monitoring run (checks, window flush): its buffers are then part of both, and a
    # leak shows as growth between them, not the first run's one-off step.
    curl -sf -o /dev/null -X POST "$SERVER_URL/api/monitoring/run" || log "monitoring run failed"
    rss_warm="$(rss_kib "$SERVER_PID")"
    heap_warm="$(heap_kib "$SERVER_URL")"
    memory_errors=0
    checkpoints=""
    for model in iris mlp; do
        for body in json binary; do
            line="$("$LOAD" --url "$SERVER_URL/v2/models/$model/infer" --connections 32 --seconds 300 --warmup 0 --requests "$quarter" \
                --input "$(input_of "$model")" --features "$(features_of "$model")" --body "$body")"
            log "memory $model $body: $line"
            memory_errors=$((memory_errors + $(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["errors"])' "$line")))
            checkpoints="${checkpoints:+$checkpoints,}$(rss_kib "$SERVER_PID"):$(heap_kib "$SERVER_URL")"
        done
    done
    curl -sf -o /dev/null -X POST "$SERVER_URL/api/monitoring/run" || log "monitoring run failed"
    rss_after="$(rss_kib "$SERVER_PID")"
    heap_after="$(heap_kib "$SERVER_URL")"
    printf 'memory\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rss_warm" "$rss_after" "$memory_errors" "$heap_warm" "$heap_after" "$checkpoints" >> "$RESULTS"
    log "RSS after warm-up ${rss_warm} KiB, after $((quarter * 4)) requests ${rss_after} KiB (managed heap ${heap_warm} -> ${heap_after} KiB), errors $memory_errors"
    stop_server
else
    log "memory phase skipped (BENCH_MEMORY_REQUESTS=$MEMORY_REQUESTS)"
fi

# 7. Large bodies: RSS after each of LARGE_BODY_ROUNDS rounds, each 64 requests (8 at a
# time) of 4 MiB bodies: half malformed (a 4 MiB string where the data array belongs), half a valid iris request
# padded with a 4 MiB id. Request bodies of a few MiB once stayed pooled and grew the server by hundreds of MiB.
if (( RUN_LARGE_BODIES == 1 && LARGE_BODY_ROUNDS > 0 )); then
    start_server large-bodies
    python3 - "$WORK" <<'PY'
import sys
work = sys.argv[1]
filler = "x" * (4 * 1024 * 1024)
with open(f"{work}/body-malformed.json", "w") as f:
    f.write('{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": "' + filler + '"}]}')
with open(f"{work}/body-padded.json", "w") as f:
    f.write('{"id": "' + filler + '", "inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [5.1, 3.5, 1.4, 0.2]}]}')
PY
    large_round() {
        for i in $(seq 1 32); do echo malformed; echo padded; done |
            xargs -P 8 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
                --data-binary "@$WORK/body-{}.json" "$SERVER_URL/v2/models/iris/infer" > "$WORK/large-codes.txt"
        awk '$1 >= 500 || $1 == 0 { bad++ } END { print bad + 0 }' "$WORK/large-codes.txt"
    }
    large_errors="$(large_round)"
    rss_first="$(rss_kib "$SERVER_PID")"
    rss_rounds="$rss_first"
    for round in $(seq 2 "$LARGE_BODY_ROUNDS"); do
        large_errors=$((large_errors + $(large_round)))
        rss_rounds="$rss_rounds $(rss_kib "$SERVER_PID")"
    done
    codes="$(sort "$WORK/large-codes.txt" | uniq -c | tr -s ' ' | tr '\n' ';')"
    printf 'large-bodies\t%s\t%s\n' "${rss_rounds// /,}" "$large_errors" >> "$RESULTS"
    log "large bodies: RSS per round (KiB) $rss_rounds; 5xx or failed $large_errors; last round's codes: $codes"
    stop_server
fi

mkdir -p "$ROOT/bench/results"
out="$ROOT/bench/results/$(date -u +%Y-%m-%dT%H%M%SZ).md"
python3 "$ROOT/bench/summarize.py" "$RESULTS" \
    --seconds "$RUN_SECONDS" --warmup "$WARMUP_SECONDS" --rounds "$ROUNDS" --memory-requests "$((quarter * 4))" | tee "$out"
cp "$RESULTS" "${out%.md}.tsv"
log "wrote $out"
