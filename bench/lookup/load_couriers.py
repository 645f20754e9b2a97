#!/usr/bin/env python3
"""Loads N couriers through the API (POST /couriers), over keep-alive connections in parallel.
Capacities are uniform 10-200 L with milliliters (seed 42), or with CAPACITIES=integers whole liters
1-100 (seed 7) and ids c0, c1, ..., the shape of the lookup-versus-ceiling runs."""
import http.client, json, os, random, sys, threading, time

host, port, count, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), 16
integers = os.environ.get("CAPACITIES") == "integers"
rng = random.Random(7 if integers else 42)
capacities = [rng.randint(1, 100) if integers else round(rng.uniform(10, 200), 3) for _ in range(count)]
prefix = "c" if integers else "bench-"
failures = []

def work(worker):
    conn = http.client.HTTPConnection(host, port)
    for i in range(worker, count, workers):
        body = json.dumps({"id": f"{prefix}{i}", "max_capacity": capacities[i]})
        conn.request("POST", "/couriers", body, {"Content-Type": "application/json", "X-Api-Key": os.environ.get("COURIERS_API_KEY", "")})
        response = conn.getresponse(); response.read()
        if response.status not in (200, 201):
            failures.append(response.status)

start = time.time()
threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
for t in threads: t.start()
for t in threads: t.join()
elapsed = time.time() - start
print(f"loaded {count} couriers in {elapsed:.1f} s ({count / elapsed:.0f} creates/s), failures: {len(failures)}")
sys.exit(1 if failures else 0)
