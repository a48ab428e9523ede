"""The message coach: SMS length counting, the guardrail checks, and templates."""
