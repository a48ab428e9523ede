"""The import summary as the CLI and the app show it: records read, added and skipped,
and the lines of a file that were repaired from Windows-1252."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from tests.importers.conftest import do_import
from tracker.service import Tracker
from tracker.service.import_report import ImportSummary


def test_the_head_line_says_how_the_records_went() -> None:
    summary = ImportSummary("f.csv", "Google Contacts CSV", records=5, added=3)
    summary.skipped = Counter({"record with nothing new": 1, "no name and no identifier": 1})
    assert summary.lines()[0] == "f.csv: Google Contacts CSV, 5 records read (3 added, 2 skipped)"
    assert ImportSummary("f.csv", "x").lines()[0] == "f.csv: x, 0 records read"


def test_large_counts_read_with_thousands_separators() -> None:
    summary = ImportSummary("export", "LinkedIn export", records=43_001, added=43_001)
    summary.contacts_added, summary.contacts_updated = 31_501, 1_200
    summary.touches_added, summary.invitations_accepted = 13_000, 1_500
    assert summary.lines()[:4] == [
        "export: LinkedIn export, 43,001 records read (43,001 added, 0 skipped)",
        "contacts: 31,501 added, 1,200 updated",
        "touches: 13,000 added",
        "invitations: 1,500 marked accepted",
    ]


def test_repaired_lines_are_named_per_file_and_capped() -> None:
    one = ImportSummary("f.csv", "x")
    one.note_repaired("f.csv", (14, 27))
    one.note_repaired("g.csv", ())
    assert one.lines()[-1] == "lines repaired from Windows-1252: 14, 27"
    several = ImportSummary("export", "x")
    several.note_repaired("export/Connections.csv", (3,))
    several.note_repaired("export/messages.csv", tuple(range(1, 26)))
    assert several.lines()[-1] == (
        "lines repaired from Windows-1252: Connections.csv 3; messages.csv "
        + ", ".join(str(n) for n in range(1, 21))
        + " and 5 more"
    )


def test_a_linkedin_file_names_its_repaired_lines(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
        "José,García,https://www.linkedin.com/in/jose-garcia,,Contoso,CTO,08 Feb 2026\n".encode()
        + "Renée,Dubois,https://www.linkedin.com/in/renee-dubois,,Café Lumière,Owner,"
        "09 Feb 2026\n".encode("cp1252")
    )
    summary = do_import(tracker, path, "linkedin")
    assert summary.repaired == {str(path): (3,)}
    assert tracker.resolve("https://www.linkedin.com/in/jose-garcia").name == "José García"
    assert tracker.resolve("https://www.linkedin.com/in/renee-dubois").company == "Café Lumière"
