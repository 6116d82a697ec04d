"""STIMS: Science, Technology and Innovation Management System."""

__version__ = "0.1.0"
