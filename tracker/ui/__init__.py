"""Everything Textual: the app, its screens and widgets. Nothing outside imports this."""
