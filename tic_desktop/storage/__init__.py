"""The expert's local storage: SQLite workspace, audit chain, snapshots, crash-safe file writes.

workspace  `Workspace.open(path)` and its typed, audited, one-transaction methods
schema     tables and migrations          audit     the hash chain
backup     snapshots, retention, restore  atomic    `atomic_write`, stray temp cleanup
location   `default_path()`, refusal of network / OneDrive paths
errors     typed errors and their codes   faults    `TIC_FAULT` crash points for tests
No Qt here (tests/unit/test_architecture.py).
"""
