#!/usr/bin/env python3
"""The disk's fsync rate: 4 KiB appended and fsync'd in a loop for N seconds in the given folder (where the database lives)."""
import os, sys, time
folder, seconds = sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
path = os.path.join(folder, "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
block, count, start = b"x" * 4096, 0, time.time()
while time.time() - start < seconds:
    os.write(fd, block); os.fsync(fd); count += 1
os.close(fd); os.remove(path)
print(f"{count / (time.time() - start):.0f}")
