#!/usr/bin/env python3
"""Token lookups while clips are cut (issue 15, defect 12): the latency of GET /api/v1/cameras idle
(the reference) and while four clients cut clips without pause, against one `wardwatch serve`.

Usage: Scripts/bench-clip-pool.py [WARDWATCH_BINARY] [SAMPLE.mp4] [SECONDS]
"""
import json, os, re, statistics, subprocess, sys, tempfile, threading, time, urllib.request, urllib.error

binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/wardwatch"
sample = sys.argv[2] if len(sys.argv) > 2 else ".build/samples/street_1080p_h264.mp4"
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 20

work = tempfile.mkdtemp(prefix="ww-clip-pool-")
catalog = os.path.join(work, "c.sqlite")
run = lambda *args: subprocess.run([binary, *args, "--catalog", catalog], check=True, capture_output=True, text=True).stdout
run("index", "--camera", "CAM01", sample)
token = lambda role: next(l for l in run("users", "add", role, "--role", role).splitlines() if l.startswith("ww_"))
viewer, investigator = token("viewer"), token("investigator")
server = subprocess.Popen([binary, "serve", "--port", "0", "--catalog", catalog, "--clip-cache", os.path.join(work, "clips")],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
base = re.match(r"listening on (\S+)", server.stdout.readline()).group(1)

def get(path, who):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + who})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - start) * 1000

def lookups(duration):
    times, end = [], time.time() + duration
    while time.time() < end:
        status, ms = get("/api/v1/cameras", viewer)
        assert status == 200, status
        times.append(ms)
        time.sleep(0.02)
    times.sort()
    return len(times), statistics.median(times), times[int(len(times) * 0.99) - 1], times[-1]

stop, counts, lock = threading.Event(), {}, threading.Lock()
def cutter(n):
    k = 0
    while not stop.is_set():
        k += 1
        # A new range each time (no cache hits): most of the 60 s recording.
        status, _ = get(f"/api/v1/recordings/1/clip?from={(n * 7 + k) % 5}.{k:03d}&to=58", investigator)
        with lock: counts[status] = counts.get(status, 0) + 1
        if status == 503: stop.wait(5)  # as Retry-After says

try:
    idle = lookups(seconds)
    threads = [threading.Thread(target=cutter, args=(n,)) for n in range(4)]
    for t in threads: t.start()
    time.sleep(1)
    busy = lookups(seconds)
    stop.set()
    for t in threads: t.join()
finally:
    server.terminate(); server.wait()
print(f"wardwatch serve ({binary}), {os.cpu_count()} cores; sample {os.path.basename(sample)}; heavy_work_slots 2 (default)")
print(f"{'GET /api/v1/cameras':34} {'requests':>8} {'p50':>9} {'p99':>9} {'slowest':>9}")
for name, (n, p50, p99, worst) in [("idle (reference)", idle), ("4 clients cutting clips non-stop", busy)]:
    print(f"{name:34} {n:8d} {p50:7.1f}ms {p99:7.1f}ms {worst:7.1f}ms")
print("clip answers while measured:", json.dumps(dict(sorted(counts.items()))))
