"""What this machine offers the processes brieven forks: the cores it may run on and the memory
the kernel can still give. The server's workers and a rebuild's workers are counted from here."""
from __future__ import annotations

import os

MEMINFO = "/proc/meminfo"


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity: a container or `taskset` may allow
    fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def available_mb(meminfo: str = MEMINFO) -> int | None:
    """The memory new processes can have without swapping (the kernel's MemAvailable), in MB;
    None where the kernel does not say (not Linux, or a kernel before 3.14)."""
    try:
        with open(meminfo, encoding="ascii") as lines:
            for line in lines:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) // 1024  # given in kB
    except (OSError, ValueError, IndexError):
        pass
    return None
