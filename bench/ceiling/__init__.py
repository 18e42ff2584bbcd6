"""The bare-Django ceiling: one JSON view, no database, minimal middleware (bench/README.md)."""
