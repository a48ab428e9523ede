"""``outreach import`` from the command line: summaries, exit codes, dry runs, progress."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.importers.conftest import db_fingerprint
from tracker.cli import cli
from tracker.cli.imports import _progress
from tracker.importers import ImportOptions, detect_format, run_import
from tracker.service import Tracker


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "outreach.db"
    tracker = Tracker.open(path)
    tracker.add_contact({"name": "Casey Quiet", "phone": "+13125550123"})
    tracker.close()
    return path


def _run(db: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", str(db), "import", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("command", [[], ["linkedin"], ["sms"], ["contacts"]])
def test_every_import_command_has_help(command: list[str]) -> None:
    result = CliRunner().invoke(cli, ["import", *command, "--help"])
    assert result.exit_code == 0
    assert len(result.stdout.split("\n\n")[1].strip()) > 20


def test_import_prints_a_summary_and_no_progress_when_piped(db: Path, fixtures: Path) -> None:
    code, out, err = _run(db, "linkedin", str(fixtures / "linkedin/export"))
    assert code == 0, err
    assert err == ""
    assert "LinkedIn export (folder), 17 records read" in out
    assert "contacts: 7 added, 0 updated" in out
    assert "touches: 8 added" in out
    assert "invitations: 2 marked accepted" in out
    assert "skipped: 1 draft" in out
    code, out, _ = _run(db, "linkedin", str(fixtures / "linkedin/export"))
    assert code == 0 and "touches: 0 added" in out and "8 already imported" in out
    assert "17 records read (0 added, 17 skipped)" in out


def test_sms_then_review(db: Path, fixtures: Path) -> None:
    code, out, err = _run(db, "sms", str(fixtures / "sms/backup.xml"))
    assert code == 0, err
    assert "touches: 1 added" in out
    # Counted per message read: the two group messages are one record each.
    assert "11 records read (1 added, 10 skipped)" in out
    assert "7 numbers matching no contact" in out  # plural now
    review = CliRunner().invoke(cli, ["--db", str(db), "review", "--as-of", "2026-03-12"])
    assert "Unanswered text" in review.stdout and "Casey Quiet" in review.stdout  # in words


def test_broken_file_exits_2_with_one_line_and_leaves_the_file_untouched(
    db: Path, fixtures: Path, tmp_path: Path
) -> None:
    before = db_fingerprint(db)
    broken = tmp_path / "backup.xml"
    text = (fixtures / "sms/backup.xml").read_text(encoding="utf-8")
    broken.write_text(text.replace("</smses>", "<sms address='1' </smses>"), encoding="utf-8")
    code, out, err = _run(db, "sms", str(broken), "--create-contacts")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"outreach: error: {broken}:")
    assert ": broken XML" in err
    assert db_fingerprint(db) == before


def test_dry_run_writes_nothing(db: Path, fixtures: Path) -> None:
    before = db_fingerprint(db)
    code, out, _ = _run(
        db, "sms", str(fixtures / "sms/backup.xml"), "--dry-run", "--create-contacts"
    )
    assert code == 0
    assert "(dry run: nothing was written)" in out
    assert "contacts: 4 added" in out
    assert db_fingerprint(db) == before


def test_wrong_kind_and_missing_path(db: Path, fixtures: Path) -> None:
    code, _, err = _run(db, "contacts", str(fixtures / "sms/backup.xml"))
    assert code == 2 and "use `outreach import sms`" in err
    code, _, err = _run(db, "sms", str(fixtures / "contacts/google.csv"))
    assert code == 2 and "unsupported format for texts" in err
    code, _, err = _run(db, "linkedin", str(fixtures / "nothing-here"))
    assert code == 2 and "does not exist" in err
    code, _, err = _run(db, "contacts", str(fixtures / "contacts/generic.csv"), "--map", "x")
    assert code == 2 and "use COLUMN=FIELD" in err


def test_contacts_map_option(db: Path, fixtures: Path) -> None:
    args = ["--map", "Full Contact=name", "--map", "Cell #=phone", "--map", "Mail=email"]
    code, out, err = _run(db, "contacts", str(fixtures / "contacts/generic.csv"), *args)
    assert code == 0, err
    assert "contacts CSV (mapped columns)" in out and "contacts: 1 added" in out


def test_detection_for_a_screen(fixtures: Path, tmp_path: Path) -> None:
    cases = {
        "linkedin/export": ("linkedin", "linkedin"),
        "linkedin/export/Invitations.csv": ("linkedin", "linkedin"),
        "sms/backup.xml": ("sms", "android"),
        "imessage": ("sms", "imessage"),
        "imessage/casey@example.com.txt": ("sms", "imessage"),
        "contacts/apple-3.0.vcf": ("contacts", "vcard"),
        "contacts/outlook-1252.csv": ("contacts", "csv"),
    }
    for relative, expected in cases.items():
        found = detect_format(fixtures / relative)
        assert (found.kind, found.format) == expected, relative
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(Exception, match="unsupported format"):
        detect_format(empty)


def test_progress_reaches_the_total(tracker: Tracker, fixtures: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    backup = tmp_path / "backup.xml"
    shutil.copy(fixtures / "sms/backup.xml", backup)
    run_import(tracker, backup, options=ImportOptions(), progress=lambda d, t: calls.append((d, t)))
    assert calls and calls[-1] == (backup.stat().st_size, backup.stat().st_size)


def test_progress_bar_only_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with _progress("importing") as update:
        assert update is None
    monkeypatch.setattr("sys.stderr.isatty", lambda: True)
    with _progress("importing") as update:
        assert update is not None
        update(50, 100)
        update(100, 100)
    assert "importing" in capsys.readouterr().err
