"""Modal dialogs: forms, menus, confirmations and help. Escape closes any of them."""
