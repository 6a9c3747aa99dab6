"""`/healthz`: is this process able to reach its database and Redis."""
