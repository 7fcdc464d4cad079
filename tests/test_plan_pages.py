"""An emulation office and a reader on a plan page: what the plan asks, what this site holds, as of a stated date.

The site holds only what was published here, so it never grades an agency: no "Thiếu", "đạt", "chưa đạt". Samples
never count. Time is told in dates, never "hôm nay" or "sau N ngày" (the reader's today is not the content date).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from build_tools.build import build_site
from build_tools.content.config import load_project
from build_tools.content.problems import ContentError

from .conftest import SiteFixture
from .progress_site import LANG_SON, set_content_date

PLANS = ["ninh-thuan-2021-2025", "phong-tho-2023", "nam-dinh-2022-2025", "lang-son-skhdt-2022-2025", "bac-giang-2021"]
CEASED = ["ninh-thuan-2021-2025", "phong-tho-2023", "nam-dinh-2022-2025", "bac-giang-2021"]
VERDICTS = re.compile(
    r"\bThiếu \d|[Cc]òn thiếu|chưa đạt|không đạt|đạt chỉ tiêu|Vượt mức|đơn vị nào đạt|Chưa đối chiếu được"
)
"""A verdict on an agency, as the site once wrote them; the plans' own text ("vượt mức kế hoạch") is not one."""
RELATIVE_TIME = re.compile(r"hôm nay|sau \d+ ngày|còn \d+ ngày|\d+ ngày nữa", re.IGNORECASE)


def visible(page: str) -> str:
    """The article's text as a reader sees it, one space between words."""
    article = re.search(r"<article.*?</article>", page, re.S)
    assert article
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", article.group(0), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def dashboard(page: str) -> str:
    """The part of a plan page the site writes itself (the plan's own text follows it)."""
    text = visible(page)
    return text[text.index("Tình hình thực hiện") : text.index("Văn bản kế hoạch")]


@pytest.mark.parametrize("plan_id", PLANS)
def test_a_plan_page_states_counts_as_of_a_date_and_grades_no_agency(real_site: Path, plan_id: str) -> None:
    page = (real_site / "ke-hoach" / plan_id / "index.html").read_text(encoding="utf-8")
    text, own = visible(page), dashboard(page)
    assert "Số liệu tính đến ngày 30/06/2025" in own
    # The site's own words carry no verdict at all; the plan's text may say "đạt danh hiệu", the site never does.
    assert not re.search(r"\bđạt\b|\bthiếu\b|vượt", own, re.IGNORECASE), own
    assert not VERDICTS.search(text) and not RELATIVE_TIME.search(text)
    assert "giới thiệu ở nơi khác" in own and "không được tính" in own
    assert "năm được khen thưởng" in own and "năm đăng" in own
    # Every shipped profile is a sample: none is counted, and the page says how many were left out.
    assert "0 gương đăng trên trang này được tính theo kế hoạch" in own
    assert "chép nguyên văn" not in text


def test_no_page_of_the_site_claims_a_verbatim_copy_or_a_verdict(real_site: Path) -> None:
    for path in real_site.rglob("*.html"):
        page = path.read_text(encoding="utf-8")
        if "<article" not in page:
            continue
        text = visible(page)
        assert "chép nguyên văn" not in text, path
        assert not VERDICTS.search(text), path
        assert not RELATIVE_TIME.search(text), path


@pytest.mark.parametrize("plan_id", CEASED)
def test_a_plan_whose_issuer_ceased_says_so_and_shows_no_step_after_it_as_upcoming(
    real_site: Path, plan_id: str
) -> None:
    page = (real_site / "ke-hoach" / plan_id / "index.html").read_text(encoding="utf-8")
    text = visible(page)
    assert "Cơ quan ban hành không còn từ ngày 01/07/2025" in text
    assert "đang trong thời gian thực hiện" not in text.lower()
    for item in re.findall(r'<li class="ex-milestone ex-milestone--(\w+)".*?datetime="([\d-]+)"', page, re.S):
        state, due = item
        assert not (state == "upcoming" and due >= "2025-07-01"), item


def test_ninh_thuan_third_quarter_2025_comes_after_the_province_ceased(real_site: Path) -> None:
    page = (real_site / "ke-hoach" / "ninh-thuan-2021-2025" / "index.html").read_text(encoding="utf-8")
    step = re.search(r'<li class="ex-milestone ex-milestone--(\w+)"[^>]*>\s*<p[^>]*><time datetime="2025-09-30"', page)
    assert step and step.group(1) == "lapsed"
    assert "Sau khi cơ quan ban hành không còn" in visible(page)


def test_lang_son_counts_nothing_before_its_issue_date(real_site: Path) -> None:
    page = (real_site / "ke-hoach" / LANG_SON / "index.html").read_text(encoding="utf-8")
    own = dashboard(page)
    assert "Chỉ tính từ ngày ban hành kế hoạch (05/04/2023), nên năm 2022 không có số." in own
    table = re.search(r'<table class="ex-data ex-progress".*?</table>', page, re.S)
    assert table and ">2022<" not in table.group(0) and ">2023<" in table.group(0)
    assert "Năm 2023 (từ 05/04/2023 đến 31/12/2023):" in own


def test_lists_of_plans_give_the_date_their_numbers_are_as_of(real_site: Path) -> None:
    for path in ("ke-hoach/index.html", "dia-phuong/lang-son/index.html", "linh-vuc/dan-van-kheo/index.html"):
        text = visible((real_site / path).read_text(encoding="utf-8"))
        assert "Tính đến ngày 30/06/2025:" in text, path


def test_separate_movements_are_not_shown_as_another_name_of_a_field(real_site: Path) -> None:
    for field_id, movement in [
        ("van-hoa-cong-so", "Đẩy mạnh cải cách hành chính thành phố Nam Định giai đoạn 2021-2025"),
        ("phu-nu", "Xây dựng gia đình 5 không, 3 sạch"),
        ("cuu-chien-binh", "Cựu chiến binh giúp nhau làm kinh tế, xóa đói giảm nghèo"),
    ]:
        text = visible((real_site / "linh-vuc" / field_id / "index.html").read_text(encoding="utf-8"))
        also = re.search(r"Còn được gọi là: (.*?)\.(?: |$)", text)
        assert also is None or movement not in also.group(1), field_id
        assert "Phong trào, nội dung riêng xếp vào lĩnh vực này (không phải tên gọi khác):" in text and movement in text
    city = visible((real_site / "linh-vuc" / "xay-dung-do-thi" / "index.html").read_text(encoding="utf-8"))
    assert city.startswith("Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh")


def test_ninh_thuan_item_h_is_labelled_with_its_own_wording(real_site: Path) -> None:
    page = (real_site / "ke-hoach" / "ninh-thuan-2021-2025" / "index.html").read_text(encoding="utf-8")
    table = re.search(r'<table class="ex-data ex-progress".*?</table>', page, re.S)
    assert table
    row = next(r for r in re.findall(r"<tr>.*?</tr>", table.group(0), re.S) if 'class="ex-ref">h.<' in r)
    header = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row.split("</th>")[0])).split())
    assert header.startswith("h. Điển hình tiên tiến về phát triển kinh tế hộ gia đình, xóa đói giảm nghèo")


@pytest.fixture
def lang_son_site(site: SiteFixture) -> SiteFixture:
    site.plan(LANG_SON)
    set_content_date(site, "2025-06-30")
    return site


def _counts(site: SiteFixture) -> str:
    build_site(site.project)
    return dashboard(site.built(f"ke-hoach/{LANG_SON}/index.html"))


def test_a_real_profile_counts_in_its_award_year_and_a_sample_never_counts(lang_son_site: SiteFixture) -> None:
    site = lang_son_site
    assert "Năm 2024: 0 gương đăng trên trang này được tính." in _counts(site)
    # Recognised on 20/12/2024, published here in 2025: counted in 2024, the year of its award.
    site.profile(
        "chuyen-vien-lang-son",
        name="Hoàng Văn Minh",
        province="lang-son",
        fields=["nhiem-vu-chuyen-mon"],
        plans=[LANG_SON],
        published="2025-01-10",
        awards=[{"title": "Bằng khen của Giám đốc Sở", "decision": "Quyết định số 12/QĐ-SKHĐT", "date": "2024-12-20"}],
    )
    real = _counts(site)
    assert "Năm 2024: 1 gương đăng trên trang này được tính (1 cá nhân)." in real
    assert "1 gương đăng trên trang này được tính theo kế hoạch (1 theo năm khen thưởng, 0 theo năm đăng)" in real
    # A sample listing the same plan changes no count; it is named apart.
    site.profile(
        "mau-lang-son",
        name="Tập thể mẫu",
        kind="tap-the",
        consent=None,
        province="lang-son",
        fields=["dan-van-kheo"],
        plans=[LANG_SON],
        published="2024-03-01",
        sample=True,
    )
    with_sample = _counts(site)
    assert "Năm 2024: 1 gương đăng trên trang này được tính (1 cá nhân)." in with_sample
    assert "Không tính: 1 hồ sơ mẫu (minh họa, không phải gương có thật) ghi theo kế hoạch này." in with_sample
    assert (
        with_sample.replace(" Không tính: 1 hồ sơ mẫu (minh họa, không phải gương có thật) ghi theo kế hoạch này.", "")
        == real
    )
    # Recognised in 2022, before the plan was issued on 05/04/2023: listed, never counted.
    site.profile(
        "truoc-ke-hoach",
        name="Nông Thị Thu Trang",
        province="lang-son",
        fields=["hoc-tap-lam-theo-bac"],
        plans=[LANG_SON],
        published="2023-06-01",
        awards=[{"title": "Giấy khen", "date": "2022-11-02"}],
    )
    before = _counts(site)
    assert "Năm 2023 (từ 05/04/2023 đến 31/12/2023): 0 gương" in before
    assert "1 gương ghi theo kế hoạch nhưng được công nhận ngoài khoảng thời gian tính" in before


def test_the_deploy_date_overrides_the_configured_content_date(
    lang_son_site: SiteFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EXEMPLARS_CONTENT_DATE", "2025-09-01")
    assert lang_son_site.project.settings.content_date is not None
    assert "Số liệu tính đến ngày 01/09/2025" in _counts(lang_son_site)
    monkeypatch.setenv("EXEMPLARS_CONTENT_DATE", "ngày mai")
    with pytest.raises(ContentError) as error:
        load_project(lang_son_site.root)
    [problem] = error.value.problems
    assert problem.path == "EXEMPLARS_CONTENT_DATE" and "ngày `ngày mai` không hợp lệ" in problem.message
