"""Models of public_services: built by its own issue."""
