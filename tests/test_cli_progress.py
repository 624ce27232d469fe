"""The progress of `brieven index` on a long run: a bar on a terminal, plain lines in a log."""
import io

from indexer.cli_progress import IndexProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def run(stream, clock, letters=1000, seconds_per_letter=1 / 16, paragraphs=4):
    with IndexProgress(letters, stream, clock) as progress:
        for n in range(letters):
            clock.now += seconds_per_letter
            progress.update(f"brief-{n}.txt", paragraphs)
    return stream.getvalue()


def test_a_terminal_gets_a_bar_with_paragraphs_per_second_and_the_time_left():
    shown = run(Terminal(), Clock())
    frames = shown.split("\r")[1:]
    assert len(frames) == 247  # redrawn every 4th letter (0.25 s) of a 62.5 s run, from 1 s on
    assert frames[0].startswith("Indexeren [") and "16/1.000 brieven, 64 alinea's" in frames[0]
    assert "64 alinea's/s" in frames[0] and "nog 1:02" in frames[0]  # 4 paragraphs per 1/16 s
    middle = next(f for f in frames if "500/1.000" in f)
    assert "[############------------]  50%" in middle and "nog 0:31" in middle
    assert "1.000/1.000 brieven, 4.000 alinea's" in frames[-1] and "bijna klaar" in frames[-1]
    assert shown.endswith("\n") and shown.count("\n") == 1  # the bar's line is ended once


def test_a_short_run_shows_nothing():
    assert run(Terminal(), Clock(), letters=10) == ""
    assert run(io.StringIO(), Clock(), letters=150) == ""  # 9.4 s: no line in a log either


def test_a_log_gets_a_plain_line_every_ten_seconds():
    lines = run(io.StringIO(), Clock()).splitlines()
    assert len(lines) == 7 and "\r" not in "".join(lines) and "\x1b" not in "".join(lines)
    assert lines[0] == "Indexeren: 160/1.000 brieven, 640 alinea's, 64 alinea's/s, nog 0:52"
    assert lines[-1].startswith("Indexeren: 1.000/1.000 brieven") and lines[-1].endswith("bijna klaar")
