"""fortnox area."""
