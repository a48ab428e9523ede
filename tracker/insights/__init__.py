"""The Insights figures drawn for a terminal: Rich charts and one panel per question,
plain functions of ``Tracker.stats()`` (no Textual, no database)."""
