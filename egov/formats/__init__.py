"""Format overrides (settings.FORMAT_MODULE_PATH): dates are typed day first in Việt Nam whatever the interface's
language. Django's Vietnamese formats define no input formats, so its defaults applied — month first, as in the
United States: "05/06/2026" was read as 6 May."""
