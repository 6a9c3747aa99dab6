"""The areas' queue entry points, enqueued by dotted name (worker.jobs.<area>.<job>)."""
