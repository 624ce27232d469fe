"""What the machine offers: the cores this process may use and the memory still available,
the kernel's figure or, in a container, what its memory limit leaves."""
import os

from indexer.machine import available_bytes, usable_cores


def available_mb(*args, **kwargs) -> int | None:
    """available_bytes in MB, the figures below being easier to read so."""
    room = available_bytes(*args, **kwargs)
    return None if room is None else room // 2**20


MEMINFO = ("MemTotal:       24683520 kB\nMemFree:        22792060 kB\n"
           "MemAvailable:   24240000 kB\nBuffers:           41220 kB\n")
GB = 2**30


def test_the_cores_are_those_this_process_may_run_on():
    assert usable_cores() == len(os.sched_getaffinity(0)) >= 1


def test_the_memory_available_is_the_kernels_own_figure(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(MEMINFO)
    assert available_mb(str(meminfo), cgroups=str(tmp_path / "none")) == 23671  # 24,240,000 kB
    assert 0 < available_mb() < 1 << 30  # this machine's


def test_without_the_figure_nothing_is_assumed(tmp_path):
    older = tmp_path / "meminfo"
    older.write_text("MemTotal:       24683520 kB\nMemFree:        22792060 kB\n")  # before Linux 3.14
    none = str(tmp_path / "none")
    assert available_mb(str(older), cgroups=none) is None
    assert available_mb(str(tmp_path / "absent"), cgroups=none) is None
    garbled = tmp_path / "garbled"
    garbled.write_text("MemAvailable: lots\n")
    assert available_mb(str(garbled), cgroups=none) is None


def _cgroup(tmp_path, own: str, groups: dict[str, tuple[str, int]], v1: bool) -> tuple[str, str]:
    """A fake /proc/self/cgroup and /sys/fs/cgroup: `groups` maps a group's path to its limit and usage."""
    root = tmp_path / "sys"
    base = root / "memory" if v1 else root
    limit, usage = ("memory.limit_in_bytes", "memory.usage_in_bytes") if v1 else ("memory.max", "memory.current")
    for path, (max_, current) in groups.items():
        folder = base / path.strip("/")
        folder.mkdir(parents=True, exist_ok=True)
        (folder / limit).write_text(f"{max_}\n")
        (folder / usage).write_text(f"{current}\n")
    cgroups = tmp_path / "cgroup"
    cgroups.write_text(f"4:memory:{own}\n3:cpuset:/\n0::/\n" if v1 else f"0::{own}\n")
    return str(cgroups), str(root)


def test_a_containers_memory_limit_leaves_less(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(MEMINFO)  # the host's 23 GB
    cgroups, root = _cgroup(tmp_path, "/box", {"/": ("max", 5 * GB), "/box": (str(3 * GB), GB)}, v1=False)
    assert available_mb(str(meminfo), cgroups, root) == 2048  # 3 GB limit, 1 GB used


def test_the_tightest_group_above_counts_too_under_cgroup_v1(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(MEMINFO)
    unlimited = 9223372036854771712  # how v1 says "no limit"
    cgroups, root = _cgroup(tmp_path, "/jobs/one", {"/": (unlimited, 9 * GB), "/jobs": (str(4 * GB), 3 * GB),
                                                   "/jobs/one": (unlimited, GB)}, v1=True)
    assert available_mb(str(meminfo), cgroups, root) == 1024  # /jobs: 4 GB limit, 3 GB used
    cgroups, root = _cgroup(tmp_path / "free", "/jobs", {"/": (unlimited, GB), "/jobs": (unlimited, GB)}, v1=True)
    assert available_mb(str(meminfo), cgroups, root) == 23671  # no limit: the kernel's figure
