"""Models of signatures: built by its own issue."""
