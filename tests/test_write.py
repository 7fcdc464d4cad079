"""The writer: one output per path, only changed files touched, stale files removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from build_tools.engine.write import DuplicateOutput, Outputs, write_tree


def test_two_outputs_on_one_path_are_refused() -> None:
    outputs = Outputs()
    outputs.add("guong/a/index.md", "một")
    with pytest.raises(DuplicateOutput):
        outputs.add("guong/a/index.md", "hai")


def test_unchanged_files_keep_their_mtime_and_stale_files_go(tmp_path: Path) -> None:
    outputs = Outputs()
    outputs.add("a.md", "A")
    outputs.add("b/c.md", "C")
    write_tree(outputs, tmp_path)
    (tmp_path / "old.md").write_text("cũ", encoding="utf-8")
    mtime = (tmp_path / "a.md").stat().st_mtime_ns
    report = write_tree(outputs, tmp_path)
    assert report.written == () and report.removed == ("old.md",) and report.unchanged == 2
    assert (tmp_path / "a.md").stat().st_mtime_ns == mtime
