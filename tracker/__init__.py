"""Outreach Tracker: a local-first terminal app for a solo rep's contacts and daily review."""

__version__ = "0.1.0"
