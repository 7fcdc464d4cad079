"""Generated pages compared with reviewed golden copies.

When a template changes on purpose, update them and review the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py      (or: make golden)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from build_tools.build import generate

from .conftest import SiteFixture

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "index.md",
    "guong/nguyen-thi-huong-nam-dinh/index.md",
    "guong/hop-tac-xa-dong-dang-lang-son/index.md",
    "linh-vuc/day-tot-hoc-tot/index.md",
    "dia-phuong/ninh-binh/index.md",
    "dia-phuong/nam-dinh/index.md",
    "ke-hoach/lang-son-skhdt-2022-2025/index.md",
    "nguoi-tot-viec-tot/index.md",
    "bao-chi/index.md",
    "du-lieu/index.md",
    "feed.xml",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    site = SiteFixture(tmp_path_factory.mktemp("golden") / "repo")
    site.plan("lang-son-skhdt-2022-2025")
    site.profile(
        "nguyen-thi-huong-nam-dinh",
        body="## Hai mươi năm đứng lớp\n\nCô dạy Toán ở trường THCS *Trần Đăng Ninh*.\n\n- Giỏi tỉnh\n- Giỏi quốc gia",
        fields=["day-tot-hoc-tot", "chuyen-doi-so"],
        awards=[
            {
                "title": "Bằng khen của Chủ tịch UBND tỉnh",
                "decision": "Quyết định số 1234/QĐ-UBND",
                "date": "2023-05-12",
            }
        ],
        sources=[{"title": "Cô giáo của học trò vùng ven", "url": "https://example.vn/bai-viet"}],
        updated="2023-07-10",
        tags=["giáo dục"],
    )
    site.profile(
        "hop-tac-xa-dong-dang-lang-son",
        name="Phòng Đăng ký kinh doanh",
        kind="tap-the",
        consent=None,
        fields=["dan-van-kheo"],
        province="lang-son",
        plans=["lang-son-skhdt-2022-2025"],
        organization="Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn",
        summary="Tập thể đưa thủ tục đăng ký kinh doanh lên mạng & hướng dẫn tận nơi.",
        published="2024-02-10",
    )
    generate(site.project)
    return site


@pytest.mark.parametrize("page", PAGES)
def test_generated_page_matches_golden(generated: SiteFixture, page: str) -> None:
    actual = generated.generated(page)
    golden = GOLDEN / page
    if os.environ.get("UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
    assert golden.is_file(), f"no golden copy yet: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert actual == golden.read_text(encoding="utf-8")
