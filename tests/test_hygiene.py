"""Architecture rules that keep the CLI quick and the layers apart (the import contracts
themselves are in pyproject.toml)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tracker"


def test_store_rules_and_cli_import_without_textual():
    code = (
        "import sys\n"
        "import tracker.cli, tracker.store, tracker.review, tracker.service, tracker.export\n"
        "from tracker.cli import cli\n"
        "loaded = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == ""


def test_the_layer_contracts_hold():
    """The import-linter contracts in pyproject.toml: only ``tracker.ui`` imports Textual,
    only ``tracker.store`` imports SQLite, only ``tracker.service`` imports the store, and
    the rules import neither the store nor the service."""
    linter = Path(sys.executable).with_name("lint-imports")
    command = [str(linter)] if linter.exists() else ["lint-imports"]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 7 kept, 0 broken." in result.stdout


def test_only_the_store_speaks_sql():
    pattern = re.compile(r"\b(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE TABLE)\b")
    offenders = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] != "store" and pattern.search(path.read_text())
    ]
    assert offenders == []


def test_every_module_has_a_docstring():
    import ast

    missing = [
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if ast.get_docstring(ast.parse(path.read_text())) is None
    ]
    assert missing == []
