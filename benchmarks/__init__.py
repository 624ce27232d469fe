"""Benchmarks of brieven at scale: `python -m benchmarks.run --paragraphs 100000`.

See benchmarks/README.md. Generated letters go to benchmarks/data/, figures to
benchmarks/results/ (both git-ignored).
"""
