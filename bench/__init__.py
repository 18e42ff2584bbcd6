"""Benchmarks: plugin-kernel micro-benchmarks and the HTTP load harness (see README.md)."""
