"""companies area."""
