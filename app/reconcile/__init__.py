"""Reconciliation: read Fortnox back into a cache, compare purely, show the grid."""
