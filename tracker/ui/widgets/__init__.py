"""Widgets the screens share: the queue, the paged table, fields and the status bar."""
