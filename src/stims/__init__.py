"""STIMS: Science, Technology and Innovation Management System."""

# The release. pyproject.toml reads it from here (one place); the page footer, /health/ and every
# backup's manifest carry it. Bump it with each release (docs/deployment.md §10).
__version__ = "0.2.0"
