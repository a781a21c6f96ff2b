"""Running Counterpoint: request log, transactions for writes, health check, backup and restore."""
