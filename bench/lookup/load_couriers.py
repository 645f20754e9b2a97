#!/usr/bin/env python3
"""Loads N couriers through the API (POST /couriers), over keep-alive connections in parallel."""
import http.client, json, os, random, sys, threading, time

host, port, count, workers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), 16
rng = random.Random(42)
capacities = [round(rng.uniform(10, 200), 3) for _ in range(count)]
failures = []

def work(worker):
    conn = http.client.HTTPConnection(host, port)
    for i in range(worker, count, workers):
        body = json.dumps({"id": f"bench-{i}", "max_capacity": capacities[i]})
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
