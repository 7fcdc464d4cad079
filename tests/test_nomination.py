"""A maintainer turns a filled "Đề xuất gương điển hình" issue into a draft pull request with a profile skeleton."""

from __future__ import annotations

from pathlib import Path

import yaml

from build_tools.cli import main
from build_tools.content.gather import check

from .conftest import REPO, SiteFixture

# The body of an issue as GitHub renders the form: `### Label`, a blank line, the answer; "_No response_" for an
# empty answer; several dropdown choices joined by ", " (field names have commas of their own); ticked boxes.
ISSUE_BODY = """\
### Cơ quan, đơn vị đề xuất

Sở Giáo dục và Đào tạo tỉnh Nam Định

### Tên (name)

Nguyễn Văn Đạt

### Loại (kind)

ca-nhan – Cá nhân

### Lĩnh vực (fields)

hoc-tap-lam-theo-bac – Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh, day-tot-hoc-tot – Dạy tốt - Học tốt; giáo dục và đào tạo

### Tỉnh, thành phố (province)

nam-dinh – Tỉnh Nam Định (trước 1/7/2025, nay thuộc ninh-binh)

### Địa bàn (locality)

Xã Giao Thiện, huyện Giao Thủy

### Cơ quan, đơn vị (organization)

_No response_

### Kế hoạch (plans)

Kế hoạch 45/KH-UBND của UBND tỉnh Nam Định

### Khen thưởng (awards)

Bằng khen của Chủ tịch UBND tỉnh, Quyết định số 1234/QĐ-UBND, 12/5/2024

### Tóm tắt (summary)

Thầy giáo dạy Toán ba mươi năm ở vùng ven biển Giao Thủy.

### Ảnh (photo)

![IMG_2041](https://github.com/user-attachments/assets/0f3c9a7e-1d2b-4c5d-8e9f-a1b2c3d4e5f6)
Thầy Đạt trên lớp, ảnh của Báo Nam Định

### Báo chí đã đưa tin (sources)

Thầy giáo của học trò vùng biển https://baonamdinh.vn/thay-giao-vung-bien
Bài trên truyền hình tỉnh

### Sự đồng ý (consent)

- [X] Người được nêu gương đã đồng ý bằng văn bản cho đăng thông tin.

### Liên hệ công khai (public_contacts)

_No response_

### Từ khóa (tags)

giáo dục, vùng biển

### Câu chuyện

Thầy Đạt dạy Toán ở trường làng từ năm 1995.

Mỗi tối thầy mở lớp học miễn phí cho con em ngư dân.

### Cam kết

- [X] Đề xuất không có số điện thoại, số căn cước công dân hay thư điện tử cá nhân.
- [X] Thông tin trong đề xuất đã được cơ quan, đơn vị kiểm tra.
"""  # noqa: E501 (one line, as GitHub joins the choices)


def _site(site: SiteFixture) -> Path:
    body = site.root / "issue.md"
    body.write_text(ISSUE_BODY, encoding="utf-8")
    return body


def test_a_filled_proposal_becomes_a_profile_that_passes_the_check(site: SiteFixture, capsys) -> None:
    body, comment = _site(site), site.root / "comment.md"
    options = ["--issue", "42", "--date", "2025-07-01", "--write", "--comment", str(comment)]
    code = main(["--root", str(site.root), "nomination", str(body), *options])
    assert code == 0
    assert capsys.readouterr().out.strip() == "exemplars/nguyen-van-dat-nam-dinh/index.md"
    text = (site.root / "exemplars" / "nguyen-van-dat-nam-dinh" / "index.md").read_text(encoding="utf-8")
    front = yaml.safe_load(text.split("---\n")[1])
    assert front == {
        "name": "Nguyễn Văn Đạt",
        "kind": "ca-nhan",
        "fields": ["hoc-tap-lam-theo-bac", "day-tot-hoc-tot"],
        "province": "nam-dinh",
        "locality": "Xã Giao Thiện, huyện Giao Thủy",
        "summary": "Thầy giáo dạy Toán ba mươi năm ở vùng ven biển Giao Thủy.",
        "published": "2025-07-01",
        "sources": [{"title": "Thầy giáo của học trò vùng biển", "url": "https://baonamdinh.vn/thay-giao-vung-bien"}],
        "consent": True,
        "tags": ["giáo dục", "vùng biển"],
    }
    assert "# Hồ sơ tạo từ đề xuất #42 của Sở Giáo dục và Đào tạo tỉnh Nam Định" in text
    assert "# Khen thưởng: Bằng khen của Chủ tịch UBND tỉnh, Quyết định số 1234/QĐ-UBND, 12/5/2024" in text
    assert "# Ảnh đính kèm: https://github.com/user-attachments/assets/0f3c9a7e" in text
    assert "# Báo chí (chưa đọc được địa chỉ): Bài trên truyền hình tỉnh" in text
    assert text.endswith("Mỗi tối thầy mở lớp học miễn phí cho con em ngư dân.\n")
    [exemplar] = check(site.project).exemplars
    assert exemplar.slug == "nguyen-van-dat-nam-dinh"
    answer = comment.read_text(encoding="utf-8")
    assert answer.startswith("Đã tạo hồ sơ `exemplars/nguyen-van-dat-nam-dinh/index.md` từ đề xuất #42")
    assert "khen thưởng, kế hoạch và ảnh cần ban biên tập điền vào hồ sơ" in answer


def test_the_publication_date_is_the_day_of_conversion(site: SiteFixture, capsys) -> None:
    assert main(["--root", str(site.root), "nomination", str(_site(site)), "--date", "2025-07-01"]) == 0
    assert "\npublished: '2025-07-01'\n" in capsys.readouterr().out


def test_missing_answers_are_explained_on_the_issue_and_no_profile_is_made(site: SiteFixture) -> None:
    body = site.root / "issue.md"
    broken = (
        ISSUE_BODY.replace("ca-nhan – Cá nhân", "_No response_")
        .replace("\nNguyễn Văn Đạt\n", "\n_No response_\n")
        .split("### Câu chuyện")[0]
        + "### Câu chuyện\n\n_No response_\n"
    )
    body.write_text(broken, encoding="utf-8")
    comment = site.root / "comment.md"
    assert main(["--root", str(site.root), "nomination", str(body), "--write", "--comment", str(comment)]) == 1
    assert not list((site.root / "exemplars").iterdir())
    answer = comment.read_text(encoding="utf-8")
    assert answer.startswith("Chưa tạo được hồ sơ từ đề xuất này vì còn thiếu hoặc sai:")
    assert "- **name**: Tên đang để trống." in answer
    assert "- **kind**: loại không hợp lệ: để trống." in answer
    assert "- **story**: chưa có câu chuyện." in answer
    assert "bình luận `/tao-ho-so`" in answer


def test_no_consent_and_a_long_summary_still_make_a_draft_but_say_what_to_fix(site: SiteFixture) -> None:
    body = site.root / "issue.md"
    long = "Thầy giáo tận tụy. " * 20
    body.write_text(
        ISSUE_BODY.replace("- [X] Người được", "- [ ] Người được").replace(
            "Thầy giáo dạy Toán ba mươi năm ở vùng ven biển Giao Thủy.", long.strip()
        ),
        encoding="utf-8",
    )
    comment = site.root / "comment.md"
    assert main(["--root", str(site.root), "nomination", str(body), "--write", "--comment", str(comment)]) == 0
    answer = comment.read_text(encoding="utf-8")
    assert "- **consent**: chưa đánh dấu đồng ý" in answer
    assert f"- **summary**: Phần tóm tắt dài {len(long.strip())} ký tự, tối đa 300. Hãy rút gọn." in answer
    text = (site.root / "exemplars" / "nguyen-van-dat-nam-dinh" / "index.md").read_text(encoding="utf-8")
    assert "\nconsent: false\n" in text


def test_a_namesake_in_the_same_province_gets_a_folder_of_its_own(site: SiteFixture) -> None:
    site.profile("nguyen-van-dat-nam-dinh", name="Nguyễn Văn Đạt")
    comment = site.root / "comment.md"
    assert main(["--root", str(site.root), "nomination", str(_site(site)), "--write", "--comment", str(comment)]) == 0
    assert (site.root / "exemplars" / "nguyen-van-dat-nam-dinh-2" / "index.md").is_file()
    assert "hồ sơ mới dùng `nguyen-van-dat-nam-dinh-2`" in comment.read_text(encoding="utf-8")
    assert len(check(site.project).exemplars) == 2


def test_the_workflow_runs_for_maintainers_only_and_opens_a_draft() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "de-xuat.yml").read_text(encoding="utf-8"))
    [job] = workflow["jobs"].values()
    condition = " ".join(job["if"].split())
    assert "github.event.label.name == 'tao-ho-so'" in condition
    assert "startsWith(github.event.comment.body, '/tao-ho-so')" in condition
    assert 'fromJSON(\'["OWNER", "MEMBER", "COLLABORATOR"]\')' in condition
    steps = {step.get("uses", "").split("@")[0]: step for step in job["steps"]}
    assert steps["peter-evans/create-pull-request"]["with"]["draft"] is True
    run = "\n".join(step.get("run", "") for step in job["steps"])
    assert "${{ github.event.issue.body }}" not in run, "the body reaches the shell through env, never inline"
    assert "exemplars nomination" in run
