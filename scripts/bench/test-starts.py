"""Starts: every invited candidate of ARE_BENCH_INVITES presses Start once, spread evenly
over the window (2,000 in 60 seconds by default), each on a new connection like a browser,
then loads the test page. Prints latency percentiles of the start and of the page."""
import asyncio
import os
import sys
import time

HOST, PORT = "127.0.0.1", int(os.environ["ARE_BENCH_PORT"])
WINDOW = float(os.environ.get("ARE_BENCH_START_WINDOW", "60"))


async def request(method, path, body=b"", content_type="application/x-www-form-urlencoded"):
    reader, writer = await asyncio.open_connection(HOST, PORT)
    head = (f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nAccept: application/json\r\n"
            f"Sec-Fetch-Site: same-origin\r\nContent-Type: {content_type}\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
    writer.write(head + body)
    await writer.drain()
    reply = await reader.read()
    writer.close()
    return int(reply.split(b" ", 2)[1]), reply


async def one(token, delay, starts, pages, errors):
    await asyncio.sleep(delay)
    began = time.perf_counter()
    try:
        status, _ = await request("POST", "/api/test/start", f"token={token}&consent=yes".encode())
        starts.append(time.perf_counter() - began)
        if status != 200:
            errors.append(f"start {status}")
            return
        began = time.perf_counter()
        status, reply = await request("GET", f"/test/{token}")
        pages.append(time.perf_counter() - began)
        if status != 200 or b"test-runner" not in reply:
            errors.append(f"page {status}")
    except OSError as error:
        errors.append(str(error))


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * len(values) + 0.5)) - 1)] * 1000 if values else 0


async def main():
    with open(os.environ["ARE_BENCH_INVITES"]) as f:
        tokens = [line.strip() for line in f.readlines()[1:] if line.strip()]
    gap = WINDOW / len(tokens)
    starts, pages, errors = [], [], []
    began = time.perf_counter()
    await asyncio.gather(*(one(t, i * gap, starts, pages, errors) for i, t in enumerate(tokens)))
    took = time.perf_counter() - began
    print(f"RESULT starts={len(tokens)} seconds={took:.1f} errors={len(errors)} "
          f"start_p50_ms={pct(starts, 50):.1f} start_p95_ms={pct(starts, 95):.1f} "
          f"start_p99_ms={pct(starts, 99):.1f} page_p50_ms={pct(pages, 50):.1f} "
          f"page_p95_ms={pct(pages, 95):.1f}")
    if errors:
        print("first errors:", errors[:5], file=sys.stderr)


asyncio.run(main())
