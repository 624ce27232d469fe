"""What the machine offers: the cores this process may use and the memory still available."""
import os

from indexer.machine import available_mb, usable_cores


def test_the_cores_are_those_this_process_may_run_on():
    assert usable_cores() == len(os.sched_getaffinity(0)) >= 1


def test_the_memory_available_is_read_from_the_kernels_own_figure(tmp_path):
    meminfo = tmp_path / "meminfo"
    meminfo.write_text("MemTotal:       24683520 kB\nMemFree:        22792060 kB\n"
                       "MemAvailable:   24240000 kB\nBuffers:           41220 kB\n")
    assert available_mb(str(meminfo)) == 23671  # 24,240,000 kB
    assert 0 < available_mb() < 1 << 30  # this machine's


def test_without_the_figure_nothing_is_assumed(tmp_path):
    older = tmp_path / "meminfo"
    older.write_text("MemTotal:       24683520 kB\nMemFree:        22792060 kB\n")  # before Linux 3.14
    assert available_mb(str(older)) is None
    assert available_mb(str(tmp_path / "absent")) is None
    garbled = tmp_path / "garbled"
    garbled.write_text("MemAvailable: lots\n")
    assert available_mb(str(garbled)) is None
