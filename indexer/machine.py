"""What this machine offers the processes brieven forks: the cores it may run on and the memory
the kernel can still give. The server's workers and a rebuild's workers are counted from here."""
from __future__ import annotations

import os
from pathlib import Path

MEMINFO = "/proc/meminfo"
OWN_CGROUPS = "/proc/self/cgroup"
CGROUP_ROOT = "/sys/fs/cgroup"
_NO_LIMIT = 1 << 60  # cgroup v1 writes "no limit" as a number near 2**63


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity: a container or `taskset` may allow
    fewer than the machine has)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def available_bytes(meminfo: str = MEMINFO, cgroups: str = OWN_CGROUPS, root: str = CGROUP_ROOT) -> int | None:
    """The memory new work can have without swapping: the kernel's MemAvailable (which counts
    the page cache as available), or less where this process's control groups (a container's
    memory limit) leave less room below their limits. None where neither says (not Linux, or a
    kernel before 3.14 without limits)."""
    figures = [room for room in (_mem_available(meminfo), _cgroup_room(cgroups, Path(root))) if room is not None]
    return min(figures) if figures else None


def _mem_available(meminfo: str) -> int | None:
    """MemAvailable in bytes (the file gives kB)."""
    try:
        with open(meminfo, encoding="ascii") as lines:
            for line in lines:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_room(cgroups: str, root: Path) -> int | None:
    """The least room (limit minus usage, in bytes) in this process's memory control group and
    the groups above it, under cgroup v2 or v1; None where no group has a limit."""
    try:
        lines = Path(cgroups).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    rooms = []
    for line in lines:
        _, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        if controllers == "":  # v2: one hierarchy
            base, limit, usage = root, "memory.max", "memory.current"
        elif "memory" in controllers.split(","):  # v1: the memory controller's own
            base, limit, usage = root / "memory", "memory.limit_in_bytes", "memory.usage_in_bytes"
        else:
            continue
        folder = base / path.strip("/")
        for group in [folder, *folder.parents]:
            room = _room(group / limit, group / usage)
            if room is not None:
                rooms.append(room)
            if group == base:
                break
    return min(rooms) if rooms else None


def _room(limit_file: Path, usage_file: Path) -> int | None:
    try:
        limit = limit_file.read_text(encoding="ascii").strip()
        usage = int(usage_file.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    if not limit.isdigit() or int(limit) >= _NO_LIMIT:  # "max" (v2) or v1's huge number
        return None
    return max(0, int(limit) - usage)
