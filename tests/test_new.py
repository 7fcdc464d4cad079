"""An officer on a laptop: `exemplars new` writes a profile that passes once they have written the story."""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml

from build_tools.cli import main
from build_tools.content.gather import check, load_taxonomies
from build_tools.content.problems import ContentError
from build_tools.content.schema.vocabulary import Vocabulary
from build_tools.site.scaffold import Answers, ask_answers

from .conftest import SiteFixture

TODAY = dt.date(2024, 5, 20)


def new(site: SiteFixture, *options: str) -> int:
    return main(["--root", str(site.root), "new", "--date", TODAY.isoformat(), *options])


def write_story(path: Path, summary: str = "Cô giáo dạy Toán hai mươi năm ở vùng ven.") -> None:
    """What the officer does next: the summary, the award that makes the story verifiable, and the story."""
    text = path.read_text(encoding="utf-8")
    text = text.replace('summary: ""', f"summary: {summary}", 1)
    text = text.replace("# awards:\n#   - ", "awards:\n  - ", 1)
    head, _, _ = text.rpartition("---\n")
    path.write_text(head + "---\nCô Hương dạy Toán ở trường THCS của xã từ năm 2003.\n", encoding="utf-8")


def test_options_give_a_skeleton_that_passes_once_the_story_is_written(
    site: SiteFixture, capsys: pytest.CaptureFixture
) -> None:
    code = new(
        site,
        *("--name", "Nguyễn Thị Hương", "--kind", "ca-nhan", "--field", "day-tot-hoc-tot"),
        *("--field", "chuyen-doi-so", "--province", "nam-dinh", "--consent"),
    )
    assert code == 0
    path = site.root / "exemplars" / "nguyen-thi-huong-nam-dinh" / "index.md"
    assert capsys.readouterr().out.startswith("Đã tạo exemplars/nguyen-thi-huong-nam-dinh/index.md\n")
    front = yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])
    assert front == {
        "name": "Nguyễn Thị Hương",
        "kind": "ca-nhan",
        "fields": ["day-tot-hoc-tot", "chuyen-doi-so"],
        "province": "nam-dinh",
        "summary": "",
        "published": TODAY,
        "consent": True,
    }
    with pytest.raises(ContentError) as caught:  # untouched, it names exactly what is left to write
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [
        "exemplars/nguyen-thi-huong-nam-dinh/index.md:7: summary: Phần tóm tắt đang để trống. Hãy điền vào (một đoạn "
        "chữ).",
        "exemplars/nguyen-thi-huong-nam-dinh/index.md:1: awards: hồ sơ chưa có căn cứ để bạn đọc kiểm chứng: cần ít "
        "nhất một khen thưởng có số quyết định hoặc một bài báo đã đưa tin. Hãy thêm khen thưởng, ví dụ `awards: "
        "[{title: Bằng khen của Chủ tịch UBND tỉnh, decision: Quyết định số 1234/QĐ-UBND, date: 2023-05-12}]`, hoặc "
        'bài báo, ví dụ `sources: [{title: "Tên bài", url: "https://…"}]`.',
        "exemplars/nguyen-thi-huong-nam-dinh/index.md:32: chưa có câu chuyện: hãy viết nội dung bên dưới dòng `---` "
        "thứ hai.",
    ]

    write_story(path)

    [exemplar] = check(site.project).exemplars
    assert (exemplar.slug, exemplar.published, exemplar.fields) == (
        "nguyen-thi-huong-nam-dinh",
        TODAY,
        ("day-tot-hoc-tot", "chuyen-doi-so"),
    )


def test_names_and_labels_are_accepted_where_ids_are_expected(site: SiteFixture) -> None:
    name = unicodedata.normalize("NFD", "Đặng Thị Ánh")  # typed on a Mac
    assert new(site, "--name", name, "--kind", "Hộ gia đình", "--field", "Y tế", "--province", "Đắk Lắk") == 0
    path = site.root / "exemplars" / "dang-thi-anh-dak-lak" / "index.md"
    text = path.read_text(encoding="utf-8")
    assert "name: Đặng Thị Ánh\n" in text and unicodedata.is_normalized("NFC", text)
    assert "kind: ho-gia-dinh\n" in text and "fields: [y-te]\n" in text and "province: dak-lak\n" in text


def test_a_personal_profile_without_consent_cannot_be_published(
    site: SiteFixture, capsys: pytest.CaptureFixture
) -> None:
    options = ("--name", "Lò Văn Páo", "--kind", "ca-nhan", "--field", "giam-ngheo", "--province", "lai-chau")
    assert new(site, *options) == 0
    assert "đổi `consent: false` thành `consent: true`" in capsys.readouterr().out
    path = site.root / "exemplars" / "lo-van-pao-lai-chau" / "index.md"
    write_story(path)
    with pytest.raises(ContentError) as caught:
        check(site.project)
    assert [str(p) for p in caught.value.problems] == [
        "exemplars/lo-van-pao-lai-chau/index.md:9: consent: hồ sơ cá nhân và hộ gia đình là dữ liệu cá nhân: chỉ đăng "
        "khi đã có sự đồng ý của người được nêu gương. Sau khi có đồng ý (bằng văn bản), ghi `consent: true`."
    ]


def test_a_collective_needs_no_consent_and_can_go_in_a_year_group(site: SiteFixture) -> None:
    code = new(
        site,
        *("--name", "Hợp tác xã Đồng Đăng", "--kind", "tap-the", "--field", "nong-thon-moi"),
        *("--province", "lang-son", "--group", "2024"),
    )
    assert code == 0
    path = site.root / "exemplars" / "2024" / "hop-tac-xa-dong-dang-lang-son" / "index.md"
    assert "consent" not in path.read_text(encoding="utf-8")
    write_story(path, summary="Hợp tác xã trồng hồi.")
    assert [e.slug for e in check(site.project).exemplars] == ["hop-tac-xa-dong-dang-lang-son"]


def test_a_slug_in_use_anywhere_is_refused(site: SiteFixture, capsys: pytest.CaptureFixture) -> None:
    site.profile("nguyen-thi-huong-nam-dinh", group="2023")
    site.profile("nguyen-thi-huong-moi", aliases=["nguyen-thi-huong-ha-noi"])
    options = ("--name", "Nguyễn Thị Hương", "--kind", "ca-nhan", "--field", "y-te", "--consent")

    assert new(site, *options, "--province", "nam-dinh") == 1
    assert capsys.readouterr().err == (
        "Chưa tạo hồ sơ: slug: đường dẫn `nguyen-thi-huong-nam-dinh` đã được dùng cho hồ sơ "
        "exemplars/2023/nguyen-thi-huong-nam-dinh/index.md. Nếu đó là cùng một người, hãy sửa hồ sơ đó thay vì "
        "tạo mới; nếu là người khác, chọn đường dẫn khác bằng `--slug`, ví dụ `--slug nguyen-thi-huong-nam-dinh-2`.\n"
    )
    assert new(site, *options, "--province", "ha-noi") == 1
    assert "exemplars/nguyen-thi-huong-moi/index.md" in capsys.readouterr().err  # a former slug counts too
    assert not (site.root / "exemplars" / "nguyen-thi-huong-ha-noi").exists()

    assert new(site, *options, "--province", "nam-dinh", "--slug", "nguyen-thi-huong-y-te-nam-dinh") == 0
    assert (site.root / "exemplars" / "nguyen-thi-huong-y-te-nam-dinh" / "index.md").is_file()


def test_wrong_ids_get_the_validators_messages_and_nothing_is_written(
    site: SiteFixture, capsys: pytest.CaptureFixture
) -> None:
    assert new(site, "--name", "Trần Văn Bình", "--kind", "canhan", "--field", "yte", "--province", "Sài Gòn") == 1
    assert capsys.readouterr().err.splitlines() == [
        "Chưa tạo hồ sơ: kind: loại không hợp lệ: `canhan`. Chọn một trong: `ca-nhan` (cá nhân), `tap-the` "
        "(tập thể), `ho-gia-dinh` (hộ gia đình). Có phải ý bạn là `ca-nhan`?",
        "Chưa tạo hồ sơ: fields: mã lĩnh vực `yte` không có trong danh mục (plans/fields.yml). "
        "Có phải ý bạn là `y-te`?",
        "Chưa tạo hồ sơ: province: mã tỉnh, thành phố `Sài Gòn` không có trong danh sách (plans/provinces.yml). "
        "Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý bạn là `ho-chi-minh`?",
    ]
    assert list((site.root / "exemplars").iterdir()) == []


def test_without_a_terminal_missing_answers_are_named_not_asked(
    site: SiteFixture, capsys: pytest.CaptureFixture
) -> None:
    assert new(site, "--name", "Trần Văn Bình") == 1
    assert capsys.readouterr().err.startswith("Chưa tạo hồ sơ: thiếu --kind, --field, --province.")


def test_prompts_ask_again_until_each_answer_is_valid(site: SiteFixture) -> None:
    fields, provinces, _ = load_taxonomies(site.project)
    replies = iter(["", "Vi Văn Khởi", "4", "ca nhân", "dân vận", "14, 1", "Sài Gòn cũ", "tỉnh Bắc Giang", "có"])
    asked: list[str] = []
    said: list[str] = []

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return next(replies)

    answers = ask_answers(ask, said.append, Vocabulary(fields, provinces, []), Answers())

    assert answers == Answers("Vi Văn Khởi", "ca-nhan", ("dan-van-kheo", "hoc-tap-lam-theo-bac"), "bac-giang", True)
    assert len(asked) == 9
    assert "  ✗ Tên đang để trống. Hãy điền vào (một đoạn chữ)." in said
    assert any(line.startswith("  ✗ loại không hợp lệ: `4`.") for line in said)
    assert any(line.startswith("  ✗ mã lĩnh vực `dân vận` không có trong danh mục") for line in said)
    assert any(line.startswith("  ✗ mã tỉnh, thành phố `Sài Gòn cũ`") for line in said)
    assert "  14) dan-van-kheo – Dân vận khéo" in said


def test_in_a_terminal_the_command_asks_and_writes_the_profile(site: SiteFixture) -> None:
    """The real command on a pseudo-terminal, as an officer runs it: answers typed one per line."""
    primary, secondary = pty.openpty()
    command = [sys.executable, "-m", "build_tools.cli", "--root", str(site.root), "new", "--date", "2024-05-20"]
    process = subprocess.Popen(command, stdin=secondary, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(secondary)
    os.write(primary, "Vi Văn Khởi\nca-nhan\ndan-van-kheo\nBắc Giang\ncó\n".encode())
    out, err = process.communicate(timeout=60)
    os.close(primary)
    assert process.returncode == 0, err
    assert "Chọn loại (số hoặc mã): " in out and "14) dan-van-kheo – Dân vận khéo" in out
    assert "Đã tạo exemplars/vi-van-khoi-bac-giang/index.md" in out
    text = (site.root / "exemplars" / "vi-van-khoi-bac-giang" / "index.md").read_text(encoding="utf-8")
    assert "province: bac-giang\n" in text and "consent: true  #" in text
