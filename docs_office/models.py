"""Models of docs_office: built by its own issue."""
