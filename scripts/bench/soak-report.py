"""soak.sh's figures, from the files its wrk runs leave in ARE_SOAK_OUT:
  short-<kind>.txt    the kind alone in its short benchmark's shape (report.lua's RESULT)
  alone-<kind>.txt    the kind alone at the soak's pacing (soak.lua's RESULT)
  m<N>-<kind>.txt/.q  minute N of the soak: RESULT, and latency at fixed percentiles
  rss.txt             "<minute> <kB>" after each minute
  memory.txt          "<minute> <anonymous kB> <file-backed kB> <threads> <seconds since start>"
  pgbench-*.txt       pgbench -S, before and after
`soak-report.py minute N` prints minute N's lines; `soak-report.py summary` the summary."""
import os
import sys

OUT = os.environ["ARE_SOAK_OUT"]
KINDS = os.environ["ARE_SOAK_KINDS"].split()
MINUTES = int(os.environ["ARE_SOAK_MINUTES"])
LABELS = {"board": "board views", "search": "searches", "save": "autosaves",
          "signin": "sign-ins", "note": "note writes"}


def result(path):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith("RESULT "):
                    return {k: float(v) for k, v in (w.split("=") for w in line.split()[1:])}
    except FileNotFoundError:
        pass
    return None


def quantiles(path):
    """(requests, [(percentile, ms)]) or None."""
    try:
        with open(path) as f:
            lines = f.read().split("\n")
    except FileNotFoundError:
        return None
    count = int(lines[0].split()[1])
    points = [tuple(map(float, line.split())) for line in lines[1:] if line.strip()]
    return count, points


def cdf(points, x):
    """The share of requests at or below x ms, read off one minute's percentiles."""
    if x < points[0][1]:
        return 0.0
    for (p0, v0), (p1, v1) in zip(points, points[1:]):
        if x < v1:
            return (p0 + (p1 - p0) * (x - v0) / (v1 - v0)) / 100 if v1 > v0 else p0 / 100
    return 1.0


def merged_percentile(minutes, p):
    """The p-th percentile of all minutes together: where the request-weighted mixture
    of the minutes' distributions reaches p (exact at the percentiles measured, linear
    between them)."""
    total = sum(count for count, _ in minutes)
    if total == 0:
        return None
    lo = min(points[0][1] for _, points in minutes)
    hi = max(points[-1][1] for _, points in minutes)
    share = lambda x: sum(count * cdf(points, x) for count, points in minutes) / total
    for _ in range(60):
        mid = (lo + hi) / 2
        if share(mid) >= p / 100:
            hi = mid
        else:
            lo = mid
    return hi


def fmt(value, digits=2):
    return "-" if value is None else f"{value:.{digits}f}"


def minute(n):
    for kind in KINDS:
        r = result(f"{OUT}/m{n}-{kind}.txt")
        if r is None:
            print(f"{n:>6}  {kind:<8} no result (wrk failed: see {OUT}/m{n}-{kind}.txt)")
            continue
        print(f"{n:>6}  {kind:<8} {r['rps']:>8.1f} {r['p50_ms']:>8.2f} {r['p99_ms']:>8.2f} "
              f"{int(r['non2xx3xx']):>11} {int(r['s5xx']):>5} {int(r['socket_errors'] + r['timeouts']):>14}")
    rss = dict(line.split() for line in open(f"{OUT}/rss.txt"))
    mem = memory().get(n)
    detail = (f" ({mem[0] / 1024:.1f} MB anonymous, {mem[1] / 1024:.1f} MB file-backed; "
              f"{mem[2]} threads; {mem[3]} s since the server started)") if mem else ""
    print(f"{n:>6}  RSS {int(rss.get(str(n), 0)) / 1024:.1f} MB{detail}")


def memory():
    try:
        with open(f"{OUT}/memory.txt") as f:
            return {int(parts[0]): [int(v) for v in parts[1:]]
                    for parts in (line.split() for line in f) if len(parts) == 5}
    except FileNotFoundError:
        return {}


def summary():
    print()
    print(f"Soak summary: {MINUTES} minute{'s' if MINUTES != 1 else ''}, all five kinds at once on one process")
    print(f"{'kind':<12} {'req/s':>8} {'requests':>9} {'p99 all ms':>10} {'worst minute p99':>17} "
          f"{'5xx':>5} {'non-2xx/3xx':>11} {'sock+timeouts':>13}")
    total_5xx = total_bad = total_socket = 0
    total_rps = 0.0
    misses = []
    compare = []
    for kind in KINDS:
        rows = [(m, result(f"{OUT}/m{m}-{kind}.txt")) for m in range(1, MINUTES + 1)]
        rows = [(m, r) for m, r in rows if r]
        qs = [q for q in (quantiles(f"{OUT}/m{m}-{kind}.q") for m in range(1, MINUTES + 1)) if q]
        requests = int(sum(r["requests"] for _, r in rows))
        rps = sum(r["rps"] for _, r in rows) / len(rows) if rows else 0.0
        total_rps += rps
        p99_all = merged_percentile(qs, 99) if qs else None
        worst = max(rows, key=lambda mr: mr[1]["p99_ms"]) if rows else None
        s5 = int(sum(r["s5xx"] for _, r in rows))
        bad = int(sum(r["non2xx3xx"] for _, r in rows))
        socket = int(sum(r["socket_errors"] + r["timeouts"] for _, r in rows))
        total_5xx += s5
        total_bad += bad
        total_socket += socket
        worst_text = f"{worst[1]['p99_ms']:.2f} (min {worst[0]})" if worst else "-"
        print(f"{LABELS[kind]:<12} {rps:>8.1f} {requests:>9} {fmt(p99_all):>10} {worst_text:>17} "
              f"{s5:>5} {bad:>11} {socket:>13}")
        short = result(f"{OUT}/short-{kind}.txt")
        alone = result(f"{OUT}/alone-{kind}.txt")
        short_p99 = short["p99_ms"] if short and short["requests"] else None
        ratio = p99_all / short_p99 if p99_all and short_p99 else None
        verdict = "no data" if ratio is None else ("PASS" if ratio <= 2 else "MISS")
        if verdict != "PASS":
            misses.append(kind)
        compare.append((kind, rps, p99_all, worst, short, short_p99, ratio, verdict, alone))
    print(f"{'all':<12} {total_rps:>8.1f}")
    print()
    print("Each kind's p99 against its short benchmark (alone, unpaced, in this run) and alone at the soak's pacing:")
    print(f"{'kind':<12} {'short bench':>11} {'short p99':>9} {'soak p99':>8} {'ratio':>6} {'within 2x':>9} "
          f"{'worst min':>9} {'alone paced p99':>15} {'ratio':>6} {'rate / short rate':>17}")
    for kind, rps, p99_all, worst, short, short_p99, ratio, verdict, alone in compare:
        alone_p99 = alone["p99_ms"] if alone and alone["requests"] else None
        print(f"{LABELS[kind]:<12} {fmt(short['rps'] if short else None, 1) + '/s':>11} {fmt(short_p99):>9} "
              f"{fmt(p99_all):>8} {fmt(ratio):>6} {verdict:>9} "
              f"{fmt(worst[1]['p99_ms'] / short_p99 if worst and short_p99 else None):>9} "
              f"{fmt(alone_p99):>15} {fmt(p99_all / alone_p99 if p99_all and alone_p99 else None):>6} "
              f"{fmt(100 * rps / short['rps'] if short and short['rps'] else None, 1) + ' %':>17}")
    print()
    rss = {int(m): int(kb) for m, kb in (line.split() for line in open(f"{OUT}/rss.txt"))}
    first, last = rss.get(1), rss.get(max(rss))
    change = 100 * (last - first) / first
    minutes_rss = [v for m, v in rss.items() if m > 0]
    print(f"RSS: before the load {rss.get(0, 0) / 1024:.1f} MB, after the short runs "
          f"{rss.get(-1, 0) / 1024:.1f} MB, after minute 1 {first / 1024:.1f} MB, "
          f"at the end {last / 1024:.1f} MB ({change:+.1f} %); after a minute at least "
          f"{min(minutes_rss) / 1024:.1f} MB, at most {max(minutes_rss) / 1024:.1f} MB")
    mem = memory()
    if mem:
        print("Anonymous / file-backed MB by minute: " + " ".join(
            f"{m}:{v[0] / 1024:.1f}/{v[1] / 1024:.1f}" for m, v in sorted(mem.items()) if m > 0))
    pg = {}
    for when in ("before", "after"):
        r = result(f"{OUT}/pgbench-{when}.txt")
        pg[when] = r["tps"] if r else None
    if pg["before"]:
        print(f"Machine yardstick (pgbench -S, select-only): {pg['before']:.0f} tps before, "
              f"{fmt(pg['after'], 0)} tps after; the soak's {total_rps:.0f} requests/s are "
              f"{100 * total_rps / pg['before']:.1f} % of the first")
    print(f"Socket errors and timeouts: {total_socket}; non-2xx/3xx answers: {total_bad}")
    abandoned = {}
    for line in open(f"{OUT}/abandoned.txt"):
        phase, n = line.split()
        abandoned[phase] = int(n)
    soak_cut = sum(n for phase, n in abandoned.items() if phase.startswith("minute-"))
    print(f"Sign-in attempts left pending by requests wrk cut off at a run's end (removed after "
          f"each run): {soak_cut} in the soak, {sum(abandoned.values()) - soak_cut} in the runs before it")
    print()
    print(f"Target: no 5xx                                  {total_5xx} 5xx: "
          f"{'PASS' if total_5xx == 0 else 'MISS'}")
    print(f"Target: p99 per kind within 2x of short bench   "
          f"{'PASS' if not misses else 'MISS (' + ', '.join(misses) + ')'}")
    # A fall is not what the target guards against (growth is); it is printed as it is.
    print(f"Target: RSS at the end within 10 % of minute 1  {change:+.1f} %: "
          f"{'PASS' if change <= 10 else 'MISS'}{' (a fall)' if change < -10 else ''}")


if sys.argv[1] == "minute":
    minute(int(sys.argv[2]))
else:
    summary()
