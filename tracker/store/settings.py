"""Small values the app remembers between runs (its theme, the day's done items): not the
user's configuration, which lives in config.toml."""

from __future__ import annotations

from tracker.store.base import StoreBase


class SettingsMixin(StoreBase):
    """Keyed text values in the ``settings`` table."""

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        value = self.scalar("SELECT value FROM settings WHERE key = ?", (key,))
        return default if value is None else str(value)

    def set_setting(self, key: str, value: str) -> None:
        with self.write():
            self.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )
