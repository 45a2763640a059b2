"""The expert's local storage: SQLite workspace, audit chain, snapshots, crash-safe file writes.

workspace  `Workspace.open(path)` and its typed, audited, one-transaction methods
           (its batch and agency-pin methods in workspace_batches, its answers in workspace_answers;
           what it shares with the agency's workspace in store)
schema     tables and migrations          audit     the hash chain
backup     snapshots, retention, restore  atomic    `atomic_write`, stray temp cleanup
location   `default_path()`, refusal of network / OneDrive paths
errors     typed errors and their codes   faults    `TIC_FAULT` crash points for tests
No Qt here (tests/unit/test_architecture.py).
"""
