"""Models of one_stop: built by its own issue."""
