#!/usr/bin/env python3
"""Turns run.sh's raw results (TSV, one JSON line per load run) into the markdown report with ratios."""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import datetime, timezone


def read(path):
    runs, memory, large = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if parts[0] == "memory":
                memory = {"warm": int(parts[1]), "after": int(parts[2]), "errors": int(parts[3]),
                          "heap": (int(parts[4]), int(parts[5])) if len(parts) > 5 else None,
                          "checkpoints": [tuple(int(v) for v in c.split(":")) for c in parts[6].split(",") if c] if len(parts) > 6 else []}
                continue
            if parts[0] == "large-bodies":
                large = {"rss": [int(v) for v in parts[1].split(",")], "errors": int(parts[2])}
                continue
            scenario, config, model, body, conns, raw = parts
            runs.append({"scenario": scenario, "config": config, "model": model, "body": body,
                         "conns": int(conns), **json.loads(raw)})
    return merge(runs), memory, large


def merge(runs):
    """One row per scenario: the median of each figure over the rounds, errors summed."""
    groups = {}
    for run in runs:
        key = (run["scenario"], run["config"], run["model"], run["body"], run["conns"])
        groups.setdefault(key, []).append(run)
    merged = []
    for (scenario, config, model, body, conns), group in groups.items():
        merged.append({"scenario": scenario, "config": config, "model": model, "body": body, "conns": conns,
                       "rounds": len(group),
                       "rps": statistics.median(r["rps"] for r in group),
                       "rps_rounds": [r["rps"] for r in group],
                       "p50_ms": statistics.median(r["p50_ms"] for r in group),
                       "p99_ms": statistics.median(r["p99_ms"] for r in group),
                       "errors": sum(r["errors"] for r in group),
                       "bytes": statistics.median(r["bytes_per_request"] for r in group) if "bytes_per_request" in group[0] else None,
                       "cpu_us_rounds": [r["cpu_us_per_request"] for r in group] if "cpu_us_per_request" in group[0] else None})
    order = {"in-process": 0, "service": 1, "bare": 2, "server": 3}
    merged.sort(key=lambda r: (order.get(r["scenario"], 3), r["model"], r["conns"], r["config"], r["body"]))
    return merged


def find(runs, **keys):
    for run in runs:
        if all(run[k] == v for k, v in keys.items()):
            return run
    return None


def ratio(a, b):
    return f"{a / b:.2f}x" if a and b else "-"


def div(a, b):
    return a / b if b else float("inf")


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--seconds", default="10")
    parser.add_argument("--warmup", default="2")
    parser.add_argument("--rounds", default="1")
    parser.add_argument("--memory-requests", default="100000")
    args = parser.parse_args()
    runs, memory, large = read(args.results)

    out = []
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=os.path.dirname(os.path.abspath(__file__))).stdout.strip()
    except OSError:
        commit = "?"
    out.append(f"# Benchmark run {now} (commit {commit})")
    out.append("")
    out.append(f"Machine: {os.cpu_count()} logical CPUs ({cpu_model()}), shared with other work; "
               f"{args.seconds} s measured after {args.warmup} s warm-up per run, {args.rounds} interleaved round(s), "
               "medians shown; loopback HTTP/1.1.")
    out.append("")
    out.append("Ratios: req/s and p50 against the bare endpoint (same model, same connections, JSON); "
               "`vs Run` is p50 against the in-process `InferenceSession.Run` p50.")
    out.append("")
    out.append("| scenario | config | model | body | conns | req/s | p50 ms | p99 ms | errors | req/s vs bare | p50 vs bare | p50 vs Run |")
    out.append("|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        bare = find(runs, scenario="bare", model=run["model"], conns=run["conns"])
        inproc = find(runs, scenario="in-process", model=run["model"])
        is_bare = run["scenario"] in ("bare", "in-process", "in-process-limit", "service")
        out.append("| {scenario} | {config} | {model} | {body} | {conns} | {rps:,.0f} | {p50:.3f} | {p99:.3f} | {errors} | {r1} | {r2} | {r3} |".format(
            scenario=run["scenario"], config=run["config"], model=run["model"], body=run["body"], conns=run["conns"],
            rps=run["rps"], p50=run["p50_ms"], p99=run["p99_ms"], errors=run["errors"],
            r1="-" if is_bare or not bare else ratio(run["rps"], bare["rps"]),
            r2="-" if is_bare or not bare else ratio(run["p50_ms"], bare["p50_ms"]),
            r3="-" if not inproc or run["scenario"] == "in-process" else ratio(run["p50_ms"], inproc["p50_ms"])))

    limit = [run for run in runs if run["scenario"] == "in-process-limit"]
    best = {}
    if limit:
        out.append("")
        out.append("## In-process limit (InferenceSession.Run on one session, no HTTP)")
        out.append("")
        out.append("| model | rows per run | intra-op threads x runs at once | runs/s | rows/s |")
        out.append("|---|---:|---|---:|---:|")
        for run in limit:
            rows = int(run["body"].removeprefix("rows"))
            threads, concurrency = run["config"].removeprefix("t").split("x")
            out.append(f"| {run['model']} | {rows} | {threads} x {concurrency} | {run['rps']:,.0f} | {run['rps'] * rows:,.0f} |")
            key = (run["model"], rows)
            if key not in best or run["rps"] > best[key]["rps"]:
                best[key] = run
    out.append("")
    out.append("## Targets")
    out.append("")
    out.append("| target | measured | met |")
    out.append("|---|---|---|")
    for model in ("iris", "mlp"):
        bare = find(runs, scenario="bare", model=model, conns=1)
        for body in ("json", "binary"):
            server = find(runs, scenario="server", config="batching-off", model=model, body=body, conns=1)
            if bare and server:
                r = div(server["p50_ms"], bare["p50_ms"])
                out.append(f"| {model} {body}, 1 connection: server p50 <= 1.3x bare | {r:.2f}x "
                           f"({server['p50_ms']:.3f} vs {bare['p50_ms']:.3f} ms) | {'yes' if r <= 1.3 else 'no'} |")
    for model in ("mlp", "iris"):
        for suffix in ("", "-t0"):
            for body in ("json", "binary"):
                off = find(runs, scenario="server", config="batching-off" + suffix, model=model, body=body, conns=32)
                on = find(runs, scenario="server", config="batching-on" + suffix, model=model, body=body, conns=32)
                if off and on:
                    r = div(on["rps"], off["rps"])
                    threads = " (IntraOpThreads=0)" if suffix else ""
                    out.append(f"| {model} {body}, 32 connections{threads}: batching on >= 2x off | {r:.2f}x "
                               f"({on['rps']:,.0f} vs {off['rps']:,.0f} req/s) | {'yes' if r >= 2 else 'no'} |")
    # The server at 32 connections (1-row V2 JSON requests) against the model's own 1-row limit, and with batching
    # against the batched limit (8 rows per run), both on the best threads x concurrency setting of the same run.
    single, batched = best.get(("mlp", 1)), best.get(("mlp", 8))
    off = find(runs, scenario="server", config="batching-off", model="mlp", body="json", conns=32)
    on = find(runs, scenario="server", config="batching-on", model="mlp", body="json", conns=32)
    if single and off:
        r = div(off["rps"], single["rps"])
        out.append(f"| mlp json, 32 connections, batching off: >= 80 % of the in-process 1-row limit | {r:.0%} "
                   f"({off['rps']:,.0f} vs {single['rps']:,.0f} runs/s at {single['config']}) | {'yes' if r >= 0.8 else 'no'} |")
    if batched and on:
        r = div(on["rps"], batched["rps"] * 8)
        out.append(f"| mlp json, 32 connections, batching on: >= 50 % of the in-process batched row limit | {r:.0%} "
                   f"({on['rps']:,.0f} vs {batched['rps'] * 8:,.0f} rows/s at 8 rows, {batched['config']}) | {'yes' if r >= 0.5 else 'no'} |")
    for model in ("mlp", "iris"):
        for conns in (32, 1):
            quiet = find(runs, scenario="server", config="batching-off", model=model, body="json", conns=conns)
            spin = find(runs, scenario="server", config="batching-off-spin", model=model, body="json", conns=conns)
            if quiet and spin:
                out.append(f"| (fix) {model} json, {conns} connection(s): AllowSpinning=false vs true | "
                           f"{div(quiet['rps'], spin['rps']):.2f}x req/s ({quiet['rps']:,.0f} vs {spin['rps']:,.0f}), "
                           f"p50 {quiet['p50_ms']:.3f} vs {spin['p50_ms']:.3f} ms | - |")
    # Monitoring capture: capture-off is batching-off with ModelFunctions:Monitoring:Enabled=false. The cost is the
    # median over rounds of each round's req/s ratio: the two runs of a round are close in time, so a burst of
    # other work on the machine moves both, where a ratio of medians could pair runs from different bursts.
    for model in ("iris", "mlp"):
        for conns, body in ((32, "json"), (32, "binary"), (1, "json")):
            on = find(runs, scenario="server", config="batching-off", model=model, body=body, conns=conns)
            off = find(runs, scenario="server", config="capture-off", model=model, body=body, conns=conns)
            if on and off:
                ratios = [div(a, b) for a, b in zip(on["rps_rounds"], off["rps_rounds"])]
                cost = 1 - statistics.median(ratios)
                plural = "s" if conns > 1 else ""
                out.append(f"| {model} {body}, {conns} connection{plural}: capture on vs off: req/s cost < 5 % | {cost:+.1%} "
                           f"(per-round ratios {', '.join(f'{r:.2f}' for r in ratios)}; medians {on['rps']:,.0f} vs "
                           f"{off['rps']:,.0f} req/s, p50 {on['p50_ms']:.3f} vs {off['p50_ms']:.3f} ms) | "
                           f"{'yes' if cost < 0.05 else 'no'} |")
    # The same in-process (InferenceService on one thread, no HTTP), priced in process CPU time per request, which a
    # shared machine's other tenants do not inflate as they do wall time: the capture's own cost, far above the noise.
    # Also given as a share of the server's time per request at 32 connections (2 cores / req/s, batching off, JSON).
    for model in ("iris", "mlp"):
        on = find(runs, scenario="service", config="batching-off", model=model)
        off = find(runs, scenario="service", config="capture-off", model=model)
        if on and off and on["cpu_us_rounds"] and off["cpu_us_rounds"]:
            ratios = [div(a, b) for a, b in zip(on["cpu_us_rounds"], off["cpu_us_rounds"])]
            cost = statistics.median(ratios) - 1
            extra_us = statistics.median(a - b for a, b in zip(on["cpu_us_rounds"], off["cpu_us_rounds"]))
            server = find(runs, scenario="server", config="batching-off", model=model, body="json", conns=32)
            bytes_note = f"; {on['bytes'] - off['bytes']:+,.0f} bytes per request" if on["bytes"] is not None and off["bytes"] is not None else ""
            detail = (f"in-process {extra_us:+.2f} us CPU per request = {cost:+.1%} of the engine alone (per-round CPU ratios "
                      f"{', '.join(f'{r:.2f}' for r in ratios)}; median {statistics.median(on['cpu_us_rounds']):.1f} vs "
                      f"{statistics.median(off['cpu_us_rounds']):.1f} us{bytes_note})")
            if server:
                per_request_us = (os.cpu_count() or 1) * 1e6 / server["rps"]
                share = extra_us / per_request_us
                out.append(f"| {model}: capture's CPU per request (in-process) vs the server's time per request at 32 connections < 5 % | "
                           f"{share:.1%} of {per_request_us:.0f} us; {detail} | {'yes' if share < 0.05 else 'no'} |")
            else:
                out.append(f"| {model}: capture's CPU per request, in-process (no server run to compare with) | {detail} | - |")
    if memory:
        change = (memory["after"] - memory["warm"]) / memory["warm"]
        out.append(f"| RSS flat within 5 % over {args.memory_requests} requests | {change:+.1%} "
                   f"({memory['warm'] / 1024:.0f} MiB -> {memory['after'] / 1024:.0f} MiB"
                   + (f"; managed heap after the last collection {memory['heap'][0] / 1024:.0f} -> {memory['heap'][1] / 1024:.0f} MiB" if memory["heap"] else "")
                   + (f"; after each quarter RSS {', '.join(f'{r / 1024:.0f}' for r, _ in memory['checkpoints'])} MiB, heap "
                      f"{', '.join(f'{h / 1024:.0f}' for _, h in memory['checkpoints'])} MiB" if memory["checkpoints"] else "")
                   + f", {memory['errors']} errors) | "
                   f"{'yes' if abs(change) <= 0.05 else 'no'} |")
    if large:
        rss = large["rss"]
        change = (rss[-1] - rss[0]) / rss[0]
        out.append(f"| RSS after {len(rss)} rounds of 4 MiB bodies within 20 % of its level after the first | {change:+.1%} "
                   f"({rss[0] / 1024:.0f} MiB -> {rss[-1] / 1024:.0f} MiB, {min(rss) / 1024:.0f}-{max(rss) / 1024:.0f} MiB over the rounds, "
                   f"{large['errors']} answered 5xx or failed) | {'yes' if change <= 0.20 and large['errors'] == 0 else 'no'} |")
    out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
