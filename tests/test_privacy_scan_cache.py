"""The scan of every output for personal data remembers what it scanned by the bytes, not by the place: a deployment
in CI (a new clone, the cache restored) scans only the bytes no earlier build scanned under the same rules, and a
phone number is caught the same way whatever the cache holds."""

from __future__ import annotations

import fnmatch
import json
import logging
import re
import shutil
from pathlib import Path

import pytest
import yaml

from build_tools.build import build_site
from build_tools.content import privacy, scanned
from build_tools.content.privacy import reads_content
from build_tools.content.problems import ContentError
from build_tools.content.scanned import rules_stamp

from .conftest import SiteFixture

REPO = Path(__file__).resolve().parents[1]


def _restored_by_ci(workflow_name: str = "deploy.yml") -> list[str]:
    """The `.cache/` entries a workflow's cache step restores into a new clone."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / workflow_name).read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job.get("steps", [])]
    (cache,) = [step for step in steps if str(step.get("uses", "")).startswith("actions/cache")]
    return [path.removeprefix(".cache/") for path in cache["with"]["path"].split()]


def _as_in_ci(site: SiteFixture) -> None:
    """What a deployment starts from: a new clone (no generated folder, no site) with deploy.yml's cache restored."""
    project = site.project
    for folder in (project.generated_dir, site.root / "site"):
        shutil.rmtree(folder, ignore_errors=True)
    kept = _restored_by_ci()
    for entry in project.cache_dir.iterdir():
        if not any(fnmatch.fnmatchcase(entry.name, pattern) for pattern in kept):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _scanned_count(caplog: pytest.LogCaptureFixture) -> tuple[int, int]:
    """(files in the generated folder, files the scan had to read as new) of the last build."""
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("privacy scan:")]
    files, new = re.fullmatch(r"privacy scan: (\d+) files, (\d+) scanned", said[-1]).groups()
    return int(files), int(new)


def _newsroom_site(site: SiteFixture) -> None:
    site.plan("nam-dinh-2022-2025")
    site.profile("co-giao-huong", body="Cô Hương dạy Toán từ năm 2003.", plans=["nam-dinh-2022-2025"])
    site.profile("bac-si-lan", body="Bác sĩ Lan khám bệnh miễn phí.", name="Trần Thị Lan", fields=["y-te"])


def test_deploy_and_the_benchmark_restore_the_same_cache() -> None:
    from benchmarks.scale import CI_RESTORES

    assert scanned.FILE_NAME in _restored_by_ci()
    assert sorted(CI_RESTORES) == sorted(_restored_by_ci())
    # The object-storage deploy and the pull-request preview build from the same cache: none is left to start cold.
    assert _restored_by_ci("deploy-s3.yml") == _restored_by_ci() == _restored_by_ci("pr.yml")


def test_a_deployment_with_the_cache_restored_scans_only_bytes_no_build_scanned(
    site: SiteFixture, caplog: pytest.LogCaptureFixture
) -> None:
    _newsroom_site(site)
    caplog.set_level(logging.DEBUG, logger="exemplars")
    build_site(site.project)
    files, new = _scanned_count(caplog)
    assert new == files > 50  # a first build scans everything it wrote
    first = _outputs(site.project.generated_dir)

    _as_in_ci(site)
    build_site(site.project)
    assert _scanned_count(caplog) == (files, 0)

    profile = site.root / "exemplars" / "bac-si-lan" / "index.md"
    profile.write_text(profile.read_text(encoding="utf-8") + "\nBà còn mở lớp sơ cứu cho học sinh.\n", "utf-8")
    _as_in_ci(site)
    build_site(site.project)
    now = _outputs(site.project.generated_dir)
    # Of images, fonts and the search index's binary shards the scan reads only the name: such a file is new to the
    # scan only under a new name (a search piece is named by its content).
    changed = [path for path, data in now.items() if path not in first or (first[path] != data and reads_content(path))]
    assert "guong/bac-si-lan/index.md" in changed or "guong/bac-si-lan/index.html" in changed
    assert _scanned_count(caplog) == (len(now), len(changed))
    assert len(changed) < len(now) / 2


def test_after_one_edit_the_scan_reads_only_the_files_the_build_wrote_anew(
    site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On an officer's machine, after one story is corrected: the files still where the last scan digested them are
    known without a read, so the scan reads the few the build wrote anew (here, in the build's own process), and
    a phone number put in with the edit is caught all the same."""
    from build_tools import generate
    from build_tools.content.schema import profile as profile_rules

    _newsroom_site(site)
    build_site(site.project)
    generated = site.project.generated_dir
    places = {p.relative_to(generated).as_posix(): p.stat().st_ino for p in generated.rglob("*") if p.is_file()}
    profile = site.root / "exemplars" / "bac-si-lan" / "index.md"
    story = profile.read_text(encoding="utf-8")
    read: list[str] = []
    scan_output = scanned.scan_output
    monkeypatch.setattr(generate, "scan_output", lambda *args: read.append(args[1]) or scan_output(*args))

    profile.write_text(story + "\nBà còn mở lớp sơ cứu cho học sinh.\n", "utf-8")
    build_site(site.project, workers=1)  # the scan in this process, where `read` sees it (not beside MkDocs)
    now = {p.relative_to(generated).as_posix(): p.stat().st_ino for p in generated.rglob("*") if p.is_file()}
    written_anew = [p for p, inode in now.items() if p not in places or (inode != places[p] and reads_content(p))]
    assert "guong/bac-si-lan/index.md" in read
    assert sorted(read) == sorted(written_anew)
    assert len(read) < len(now) / 4

    read.clear()
    profile.write_text(story + "\nBà còn mở lớp sơ cứu cho học sinh, điện thoại 0912&#32;345&#32;678.\n", "utf-8")
    monkeypatch.setattr(profile_rules, "validate_privacy", lambda *args, **kwargs: iter(()))  # as if `check` missed it
    with pytest.raises(ContentError) as built:
        build_site(site.project, workers=1)
    [problem] = built.value.problems
    assert problem.path == "exemplars/bac-si-lan/index.md"
    assert problem.message.startswith("dòng này có số điện thoại `0912 345 678`.")
    assert "guong/bac-si-lan/index.md" in read


def test_new_rules_rescan_every_output(
    site: SiteFixture, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    _newsroom_site(site)
    caplog.set_level(logging.DEBUG, logger="exemplars")
    build_site(site.project)
    files, _ = _scanned_count(caplog)
    build_site(site.project)
    assert _scanned_count(caplog) == (files, 0)

    monkeypatch.setattr(scanned, "rules_stamp", lambda: rules_stamp() + b"new rule")
    _as_in_ci(site)
    build_site(site.project)
    assert _scanned_count(caplog) == (files, files)


def _plant_phone_in_plan(site: SiteFixture) -> str:
    """A number only the outputs show (plans are not checked as profiles are); the message `check` cannot give."""
    plan = site.root / "plans" / "nam-dinh-2022-2025.yml"
    lines = plan.read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(lines) if line.startswith("issuer:"))
    lines[number] = 'issuer: "Ủy ban nhân dân thành phố Nam Định, ĐT 0912\u2013345\u2013678"'
    plan.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return (
        f"plans/nam-dinh-2022-2025.yml:{number + 1}: dòng này có số điện thoại `0912-345-678`. Không đăng số điện "
        "thoại cá nhân: hãy xóa số này. Nếu đây là số đường dây nóng công khai của cơ quan, đơn vị, hãy ghi nó vào "
        "trường `public_contacts` để được phép đăng."
    )


def test_a_planted_phone_number_is_caught_whatever_the_cache_holds(site: SiteFixture) -> None:
    _newsroom_site(site)
    build_site(site.project)
    published = _outputs(site.root / "site")
    original = (site.root / "plans" / "nam-dinh-2022-2025.yml").read_bytes()

    # In CI: a new clone, the cache of a good build restored, the number in the plan.
    message = _plant_phone_in_plan(site)
    _as_in_ci(site)
    with pytest.raises(ContentError) as built:
        build_site(site.project)
    assert [str(p) for p in built.value.problems] == [message]
    assert not (site.root / "site").exists()

    # The same build again: the generated folder now holds the page with the number, unchanged in place.
    with pytest.raises(ContentError) as again:
        build_site(site.project)
    assert [str(p) for p in again.value.problems] == [message]

    # Locally: the number removed, the site built; then an edit puts it back.
    (site.root / "plans" / "nam-dinh-2022-2025.yml").write_bytes(original)
    build_site(site.project)
    assert _outputs(site.root / "site") == published
    _plant_phone_in_plan(site)
    with pytest.raises(ContentError) as edited:
        build_site(site.project)
    assert [str(p) for p in edited.value.problems] == [message]
    assert _outputs(site.root / "site") == published


def test_a_cache_made_under_other_rules_is_never_trusted(site: SiteFixture) -> None:
    """A remembered "nothing found" counts only under the rules that found nothing: a cache written by other rules
    (here: one claiming clean every file it holds, the page with the number too) is ignored."""
    _newsroom_site(site)
    build_site(site.project)
    message = _plant_phone_in_plan(site)
    with pytest.raises(ContentError):
        build_site(site.project)
    cache = site.project.cache_dir
    remembered = scanned.load_scanned(cache).findings
    assert [findings for findings in remembered.values() if findings]  # the page with the number is in it
    claimed_clean = [scanned.Scan(digest, (), None, False) for digest in remembered]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(scanned, "rules_stamp", lambda: b"older rules")
        scanned.save_scanned(cache, [f"{n}.html" for n in range(len(claimed_clean))], claimed_clean)
    _as_in_ci(site)
    with pytest.raises(ContentError) as built:
        build_site(site.project)
    assert [str(p) for p in built.value.problems] == [message]


def test_open_data_rewritten_after_one_story_changed_scans_that_story_s_strings_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The open data holds every story, one a line: after one edit its bytes are new, but only the edited story's
    line is scanned again; a phone number in it is caught all the same."""
    stories = [f"<p>Câu chuyện số {n}: anh dạy bơi cho trẻ em trong xóm suốt mười năm.</p>" * 6 for n in range(3)]
    data = tmp_path / "du-lieu" / "exemplars.json"
    data.parent.mkdir()

    def write_open_data() -> None:  # as site/opendata.py writes it: one story a line
        lines = ",\n    ".join(json.dumps({"story_html": story}, ensure_ascii=False) for story in stories)
        data.write_text('{\n  "stories": [\n    ' + lines + "\n  ]\n}\n", encoding="utf-8")

    write_open_data()
    first = scanned.scan_output(tmp_path, "du-lieu/exemplars.json", scanned.ScanMemory())
    assert first.findings == () and first.pieces is not None and len(first.pieces) == 3
    scanned.save_scanned(tmp_path / "cache", ["du-lieu/exemplars.json"], [first])
    memory = scanned.load_scanned(tmp_path / "cache")

    stories[1] += "<p>Liên hệ: 0912 345 678.</p>"
    write_open_data()
    scanned_pieces: list[str] = []
    scan_piece = privacy.findings_in_piece
    monkeypatch.setattr(privacy, "findings_in_piece", lambda piece: scanned_pieces.append(piece) or scan_piece(piece))
    again = scanned.scan_output(tmp_path, "du-lieu/exemplars.json", memory)
    assert scanned_pieces == [stories[1]]
    assert [finding.value for finding in again.findings] == ["0912345678"]
