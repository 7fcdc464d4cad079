"""A communications officer's way in: the guide, the forms and checks GitHub shows them, generated from the schema."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml

from build_tools.cli import main
from build_tools.content.config import load_project
from build_tools.content.gather import check, load_taxonomies
from build_tools.content.model import KINDS
from build_tools.content.problems import Problem, format_github
from build_tools.content.schema.keys import PROFILE_KEY_NAMES, PROFILE_KEYS
from build_tools.site.contributing import (
    CONTRIBUTING,
    FORM,
    ISSUE_FORM,
    REFERENCE_BEGIN,
    REFERENCE_END,
    expected_docs,
    render_example_profile,
)

from .conftest import REPO, SiteFixture

GITHUB = REPO / ".github"
VENV_BIN = Path(sys.executable).parent


@pytest.fixture(scope="module")
def taxonomies() -> tuple[dict, dict]:
    fields, provinces, problems = load_taxonomies(load_project(REPO))
    assert not problems
    return fields, provinces


def test_the_guide_and_the_issue_form_match_the_schema(taxonomies: tuple[dict, dict]) -> None:
    """If this fails, the schema or a taxonomy changed: run `.venv/bin/exemplars docs` and commit the result."""
    fields, provinces = taxonomies
    for path, text in expected_docs(load_project(REPO), fields.values(), provinces.values()).items():
        assert (REPO / path).read_text(encoding="utf-8") == text, f"{path} is stale: run `exemplars docs`"


def test_the_guide_starts_with_five_steps_on_the_github_web_page() -> None:
    guide = (REPO / CONTRIBUTING).read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", guide, flags=re.MULTILINE)
    assert headings[0] == "Thêm một gương điển hình trong 5 bước"
    assert headings[1] == "Làm trên máy tính"
    steps = guide.split("## Thêm một gương điển hình trong 5 bước")[1].split("\n## ")[0]
    assert re.findall(r"^(\d)\. \*\*", steps, flags=re.MULTILINE) == ["1", "2", "3", "4", "5"]
    for action in (
        "Add file → Create new file",
        "`exemplars/nguyen-thi-huong-nam-dinh/index.md`",
        "Add file → Upload files",
        "Create pull request",
        "Files changed",
        "Edit file",
        "xem-truoc-trang",
    ):
        assert action in steps
    laptop = guide.split("## Làm trên máy tính")[1].split("\n## ")[0]
    for command in ("bash tasks.sh check", "exemplars new", "bash tasks.sh serve", "pre-commit install"):
        assert command in laptop


def test_the_template_officers_copy_in_step_one_passes_the_checker(site: SiteFixture) -> None:
    guide = (REPO / CONTRIBUTING).read_text(encoding="utf-8")
    block = re.search(r"```markdown\n(.*?)```", guide, flags=re.DOTALL)
    assert block is not None
    template = "\n".join(line.removeprefix("   ") for line in block.group(1).splitlines()) + "\n"
    site.raw_profile("nguyen-thi-huong-nam-dinh", template)
    [exemplar] = check(site.project).exemplars
    assert (exemplar.name, exemplar.kind, exemplar.province) == ("Nguyễn Thị Hương", "ca-nhan", "nam-dinh")


def test_the_reference_names_every_key_kind_field_and_province(taxonomies: tuple[dict, dict]) -> None:
    fields, provinces = taxonomies
    guide = (REPO / CONTRIBUTING).read_text(encoding="utf-8")
    reference = guide[guide.index(REFERENCE_BEGIN) : guide.index(REFERENCE_END)]
    for key in PROFILE_KEYS:
        assert f"| `{key.name}` | {key.label} |" in reference
    for kind, label in KINDS.items():
        assert f"| `{kind}` | {label} |" in reference
    for field in fields.values():
        assert f"| `{field.id}` | {field.name} |" in reference
    for province in provinces.values():
        assert f"| `{province.id}` | {province.label} |" in reference
    assert "`nam-dinh` | Tỉnh Nam Định | `ninh-binh` |" in reference  # a former province and where it went


def test_the_complete_example_passes_the_checker_and_uses_every_key(site: SiteFixture) -> None:
    site.plan("nam-dinh-2022-2025")
    site.photo("nguyen-thi-huong-nam-dinh", name="chan-dung.jpg")
    path = site.root / "exemplars" / "nguyen-thi-huong-nam-dinh" / "index.md"
    path.write_text(render_example_profile(), encoding="utf-8")
    [exemplar] = check(site.project).exemplars
    assert exemplar.awards and exemplar.photo and exemplar.sources and exemplar.corrections
    assert exemplar.public_contacts == ("Đường dây nóng UBND phường Lộc Hạ: 0228 3812 345",)
    front_matter = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert list(front_matter) == list(PROFILE_KEY_NAMES)
    assert render_example_profile().strip() in (REPO / CONTRIBUTING).read_text(encoding="utf-8")


def test_the_issue_form_mirrors_the_profile_schema(taxonomies: tuple[dict, dict]) -> None:
    fields, provinces = taxonomies
    assert set(FORM) == set(PROFILE_KEY_NAMES), "decide how each new key appears in the issue form (FORM)"
    form = yaml.safe_load((REPO / ISSUE_FORM).read_text(encoding="utf-8"))
    assert form["name"] == "Đề xuất gương điển hình"
    elements = {item["id"]: item for item in form["body"] if "id" in item}
    shown = [key for key in PROFILE_KEYS if FORM[key.name].widget != "skip"]
    assert [key.name for key in shown] == [i for i in elements if i in PROFILE_KEY_NAMES]
    assert set(elements) - set(PROFILE_KEY_NAMES) == {"proposer", "story", "privacy"}
    for key in shown:
        element = elements[key.name]
        assert element["attributes"]["label"] == f"{key.label} ({key.name})"
        if element["type"] != "checkboxes":
            assert element["validations"]["required"] is key.required
    assert [o.split(" – ")[0] for o in elements["kind"]["attributes"]["options"]] == list(KINDS)
    assert [o.split(" – ")[0] for o in elements["fields"]["attributes"]["options"]] == list(fields)
    assert elements["fields"]["attributes"]["multiple"] is True
    assert sorted(o.split(" – ")[0] for o in elements["province"]["attributes"]["options"]) == sorted(provinces)
    privacy = elements["privacy"]["attributes"]["options"][0]
    assert "số điện thoại" in privacy["label"] and privacy["required"] is True
    # GitHub's issue-form rules: known element types, unique ids, every label present.
    assert {item["type"] for item in form["body"]} <= {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    assert len(elements) == len([item for item in form["body"] if "id" in item])
    assert all(item["attributes"].get("label") for item in form["body"] if item["type"] != "markdown")


def test_docs_command_reports_and_repairs_a_stale_guide(site: SiteFixture, capsys: pytest.CaptureFixture) -> None:
    shutil.copy(REPO / CONTRIBUTING, site.root / CONTRIBUTING)
    assert main(["--root", str(site.root), "docs", "--check"]) == 1  # the issue form does not exist yet
    assert main(["--root", str(site.root), "docs"]) == 0
    assert main(["--root", str(site.root), "docs", "--check"]) == 0
    guide = site.root / CONTRIBUTING
    guide.write_text(guide.read_text(encoding="utf-8").replace("| `y-te` |", "| `y-te-cu` |"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--root", str(site.root), "docs", "--check"]) == 1
    assert "CONTRIBUTING.md: chưa khớp với mẫu hồ sơ. Chạy `exemplars docs`" in capsys.readouterr().err
    guide.write_text("# Hướng dẫn\n", encoding="utf-8")
    assert main(["--root", str(site.root), "docs"]) == 1
    assert "thiếu hai dòng đánh dấu phần tham chiếu" in capsys.readouterr().err


def test_the_pull_request_template_speaks_the_officers_language() -> None:
    template = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    checklist = re.findall(r"^- \[ \] (.+)$", template, flags=re.MULTILINE)
    assert len(checklist) >= 5
    text = " ".join(checklist)
    for words in ("văn bản đồng ý", "số quyết định", "credit", "alt", "số điện thoại", "căn cước", "public_contacts"):
        assert words in text


def owners_of(path: str) -> list[str]:
    """GitHub's rule: the last matching line of CODEOWNERS wins."""
    owners: list[str] = []
    for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        pattern, *teams = line.split()
        anchored = pattern.lstrip("/")
        if (
            pattern == "*"
            or (pattern.endswith("/") and path.startswith(anchored))
            or fnmatch(path, anchored)
            or path == anchored
        ):
            owners = teams
    return owners


def test_codeowners_send_content_to_editors_and_code_to_engineers() -> None:
    assert owners_of("exemplars/2024/nguyen-van-a/index.md") == ["@org/bien-tap"]
    assert owners_of("content/dong-gop.md") == ["@org/bien-tap"]
    assert owners_of("build_tools/content/schema/keys.py") == ["@org/ky-thuat"]
    assert owners_of("tasks.sh") == ["@org/ky-thuat"]
    assert owners_of(".github/workflows/pr.yml") == ["@org/ky-thuat"]
    assert set(owners_of("plans/fields.yml")) == {"@org/bien-tap", "@org/ky-thuat"}
    assert set(owners_of("CONTRIBUTING.md")) == {"@org/bien-tap", "@org/ky-thuat"}


def test_workflows_pass_actionlint() -> None:
    """Runs in CI too: actionlint is a test dependency (pyproject), never skipped."""
    actionlint = shutil.which("actionlint", path=str(VENV_BIN)) or shutil.which("actionlint")
    assert actionlint, "actionlint is missing: `pip install -e '.[test]'` installs it"
    workflows = sorted(str(p) for p in (GITHUB / "workflows").glob("*.yml"))
    assert {"deploy.yml", "pr.yml", "de-xuat.yml"} <= {Path(p).name for p in workflows}
    result = subprocess.run(
        [actionlint, "-color=false", "-oneline", *workflows], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 0, result.stdout + result.stderr


def steps_of(workflow: str) -> list[dict]:
    data = yaml.safe_load((GITHUB / "workflows" / workflow).read_text(encoding="utf-8"))
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


def _job_runs(workflow: str, job: str) -> list[str]:
    data = yaml.safe_load((GITHUB / "workflows" / workflow).read_text(encoding="utf-8"))
    return [step.get("run", "") for step in data["jobs"][job]["steps"]]


def test_a_content_pull_request_is_checked_built_and_previewed_and_code_is_tested_only_when_it_changes() -> None:
    data = yaml.safe_load((GITHUB / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    assert data[True]["pull_request"]["types"] == ["opened", "reopened", "synchronize", "closed"]
    jobs = data["jobs"]
    # The officer's job: annotations on the changed lines, the build for the preview's address, the comment.
    runs = _job_runs("pr.yml", "noi-dung")
    assert runs.index("bash tasks.sh check --format github") < runs.index(
        'bash tasks.sh build --site-url "${{ steps.dia-chi.outputs.url }}" --preview'
    )
    assert "bash tasks.sh test" not in runs
    assert any("preview-links --pr" in run and "--changed-from changed.txt" in run for run in runs)
    uploads = [s["with"] for s in jobs["noi-dung"]["steps"] if s.get("uses", "").startswith("actions/upload-artifact")]
    assert {"name": "xem-truoc-trang", "path": "site/"}.items() <= uploads[0].items()
    # The whole suite only when something other than content changed.
    assert jobs["kiem-thu"]["if"] == "needs.thay-doi.outputs.code == 'true'"
    assert _job_runs("pr.yml", "kiem-thu") == ["", "bash tasks.sh test"]
    # Write access only where no code from the pull request runs, and never for a fork.
    for name in ("xem-truoc", "go-xem-truoc"):
        assert "github.event.pull_request.head.repo.full_name == github.repository" in jobs[name]["if"]
        assert jobs[name]["permissions"] == {"contents": "write", "pull-requests": "write"}
        assert all("run" not in step for step in jobs[name]["steps"])
    assert data["permissions"] == {"contents": "read"}


def test_the_classification_sends_content_alone_to_the_short_check(tmp_path: Path) -> None:
    """The shell rule of the `thay-doi` job, run on lists of changed files."""
    data = yaml.safe_load((GITHUB / "workflows" / "pr.yml").read_text(encoding="utf-8"))
    script = data["jobs"]["thay-doi"]["steps"][1]["run"].replace(
        "git diff --name-only --no-renames HEAD^1 HEAD > changed.txt", ":"
    )

    def code_changed(*paths: str) -> bool:
        (tmp_path / "changed.txt").write_text("".join(f"{p}\n" for p in paths), encoding="utf-8")
        (tmp_path / "out").unlink(missing_ok=True)
        env = {
            "GITHUB_OUTPUT": str(tmp_path / "out"),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
            "PATH": "/usr/bin:/bin",
        }
        subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True)
        return (tmp_path / "out").read_text(encoding="utf-8").strip() == "code=true"

    assert not code_changed("exemplars/2024/nguyen-van-a/index.md", "exemplars/2024/nguyen-van-a/anh.jpg")
    assert not code_changed("plans/nam-dinh-2022-2025.yml", "content/gioi-thieu.md")
    assert code_changed("exemplars/a/index.md", "content/assets/site.css")
    assert code_changed("exemplars/a/index.md", "build_tools/templates/story.md.j2")
    assert code_changed("pyproject.toml")
    assert code_changed(".github/workflows/pr.yml")


def test_main_is_built_and_deployed_to_github_pages_keeping_the_previews() -> None:
    data = yaml.safe_load((GITHUB / "workflows" / "deploy.yml").read_text(encoding="utf-8"))
    assert data[True]["push"]["branches"] == ["main"]
    assert "bash tasks.sh build" in [step.get("run") for step in steps_of("deploy.yml")]
    deploy = data["jobs"]["dang-trang"]
    assert deploy["permissions"] == {"contents": "write"}
    [publish] = [s for s in deploy["steps"] if s.get("uses", "").startswith("JamesIves/github-pages-deploy-action@")]
    assert publish["with"]["branch"] == "gh-pages" and publish["with"]["force"] is False
    assert publish["with"]["clean-exclude"].split() == ["pr-preview/", "CNAME"]
    [preview] = [s for s in steps_of("pr.yml") if s.get("uses", "").startswith("rossjrw/pr-preview-action@")][:1]
    assert preview["with"]["preview-branch"] == "gh-pages" and preview["with"]["umbrella-dir"] == "pr-preview"


def test_check_prints_github_annotations_on_the_right_file_and_line(
    site: SiteFixture, capsys: pytest.CaptureFixture
) -> None:
    site.profile("sai-tinh", province="Nam Định")
    assert main(["--root", str(site.root), "check", "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines == [
        "::error file=exemplars/sai-tinh/index.md,line=6,title=Lỗi ở trường province::mã tỉnh, thành phố "
        "`Nam Định` không có trong danh sách (plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. "
        "Có phải ý bạn là `nam-dinh`?",
        "1 lỗi",
    ]


def test_annotations_escape_what_github_would_misread() -> None:
    problems = [
        Problem("exemplars/a,b/index.md", 3, "summary", "50% dài hơn:\nhãy rút gọn"),
        Problem("exemplars/x.md", None, None, "tệp lạc chỗ"),
    ]
    assert format_github(problems).splitlines() == [
        "::error file=exemplars/a%2Cb/index.md,line=3,title=Lỗi ở trường summary::50%25 dài hơn:%0Ahãy rút gọn",
        "::error file=exemplars/x.md,title=Lỗi hồ sơ::tệp lạc chỗ",
        "2 lỗi",
    ]


def test_pre_commit_runs_the_check_on_content_paths_only(site: SiteFixture, tmp_path: Path) -> None:
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    [hook] = [h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "exemplars-check"]
    assert hook["files"] == "^(exemplars|plans)/" and hook["entry"] == "exemplars check"
    shutil.copy(REPO / ".pre-commit-config.yaml", site.root)
    site.profile("sai-loai", kind="ca nhan")
    env = {
        **os.environ,
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_CONFIG_GLOBAL": os.devnull,
    }

    def pre_commit(*args: str) -> subprocess.CompletedProcess[str]:
        command = [str(VENV_BIN / "pre-commit"), *args]
        return subprocess.run(command, cwd=site.root, env=env, capture_output=True, text=True, check=False)

    assert pre_commit("validate-config", ".pre-commit-config.yaml").returncode == 0
    subprocess.run(["git", "init", "-q"], cwd=site.root, env=env, check=True)
    subprocess.run(["git", "add", "-A"], cwd=site.root, env=env, check=True)
    failed = pre_commit("run", "exemplars-check", "--files", "exemplars/sai-loai/index.md")
    assert failed.returncode == 1
    assert "exemplars/sai-loai/index.md:3: kind: loại không hợp lệ: `ca nhan`." in failed.stdout
    assert "Skipped" in pre_commit("run", "exemplars-check", "--files", "mkdocs.yml").stdout
    site.profile("sai-loai", kind="ca-nhan")
    passed = pre_commit("run", "exemplars-check", "--files", "exemplars/sai-loai/index.md")
    assert passed.returncode == 0, passed.stdout
