"""The online form engine: a declarative JSON schema per procedure version, conditions evaluated the
same way in the browser (static/public_services/conditions.js) and here, server-side validation."""
