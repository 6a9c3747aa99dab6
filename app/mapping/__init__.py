"""mapping area."""
