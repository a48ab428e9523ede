"""Sequences (DOMAIN.md, "Sequences"): named plans of steps a contact walks one by one.

``definitions`` (what a sequence is, the built-ins), ``loading`` (``sequences.toml``),
``calendar`` (business days, pauses, ``max_per_day``), ``records`` (an enrollment and its
progress, as kept), ``progress`` (the rules: where an enrollment stands as of a moment),
``funnel`` (how far each step's enrollments got). Pure: no clock read, no database.
"""
