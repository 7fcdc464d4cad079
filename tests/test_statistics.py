"""What readers see: plan dashboards, the statistics page with its charts, tables and CSVs, cross-links, comparisons.

One site with known counts (tests/progress_site.py) is built once for the whole module.
"""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from build_tools.build import build_site
from build_tools.site.charts import BAR_COLOR, SHADES, TILE_EDGE, TILE_GRID, TILE_H, TILE_W, layout_tile_map
from build_tools.site.statistics import Count

from .conftest import SiteFixture
from .progress_site import CONTENT_DATE, plans_at_work

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> SiteFixture:
    site = plans_at_work(SiteFixture(tmp_path_factory.mktemp("statistics") / "repo"))
    build_site(site.project)
    return site


def element(html: str, tag: str, attribute: str, name: str) -> ET.Element:
    """One generated element (an SVG chart or a data table) parsed as XML: our templates write it well-formed."""
    match = re.search(rf'<{tag}\b[^>]*\b{attribute}="{name}".*?</{tag}>', html, re.S)
    assert match, f"no <{tag} {attribute}={name!r}>"
    return ET.fromstring(match.group(0))


def text(node: ET.Element) -> str:
    """Visible text, one space between neighbouring elements (a row header and its cell, two tspans)."""
    return " ".join(" ".join(node.itertext()).split())


def lines(node: ET.Element) -> str:
    """SVG text drawn on several lines (one <tspan> each) read back as one label."""
    spans = node.findall(f"{SVG}tspan")
    return " ".join(text(span) for span in spans) if spans else text(node)


def table_rows(table: ET.Element) -> list[tuple[str, int]]:
    """(label, count) of each body row; the label is the row header's first link or text."""
    rows = []
    for row in table.find("tbody"):
        header, count = row.find("th"), row.find("td")
        link = header.find("a")
        rows.append((text(link if link is not None else header), int(text(count))))
    return rows


def bars(svg: ET.Element) -> list[tuple[str, int]]:
    result = []
    for group in svg.iter(f"{SVG}g"):
        label = group.find(f"{SVG}text[@class='ex-bar__label']")
        value = group.find(f"{SVG}text[@class='ex-bar__value']")
        result.append((lines(label), int(text(value))))
    return result


def test_statistics_page_is_in_the_navigation(built: SiteFixture) -> None:
    html = built.built("index.html")
    nav = html[html.index('class="md-nav md-nav--primary"') :]
    assert 'href="thong-ke/"' in nav and "Thống kê" in nav


def test_statistics_page_states_its_date_and_totals(built: SiteFixture) -> None:
    html = built.built("thong-ke/index.html")
    assert 'Số liệu tính đến ngày <time datetime="2025-06-30">30/06/2025</time>: 9 gương điển hình đã đăng' in html
    assert "thuộc 10/23 lĩnh vực và 3/34 tỉnh, thành phố" in html


@pytest.mark.parametrize(
    ("chart", "table", "expected"),
    [
        ("bieu-do-loai", "bang-loai", [("Cá nhân", 5), ("Tập thể", 2), ("Hộ gia đình", 2)]),
        ("bieu-do-linh-vuc", "bang-linh-vuc", None),
    ],
)
def test_every_bar_chart_shows_the_numbers_of_its_table(built: SiteFixture, chart, table, expected) -> None:
    html = built.built("thong-ke/index.html")
    svg, data = element(html, "svg", "data-chart", chart), element(html, "table", "data-table", table)
    assert bars(svg) == table_rows(data)
    if expected:
        assert bars(svg) == expected
    else:
        # Most exemplars first; an exemplar in two fields counts in both (giảm nghèo: one in each plan's province).
        assert bars(svg)[0] == ("Vì người nghèo - không để ai bị bỏ lại phía sau; giảm nghèo", 2)
        assert sum(value for _, value in bars(svg)) == 11 and len(bars(svg)) == 23


def test_year_chart_shows_every_year_including_gaps(built: SiteFixture) -> None:
    html = built.built("thong-ke/index.html")
    svg, data = element(html, "svg", "data-chart", "bieu-do-nam"), element(html, "table", "data-table", "bang-nam")
    columns = []
    for group in svg.iter(f"{SVG}g"):
        title = text(group.find(f"{SVG}title"))
        value = int(text(group.find(f"{SVG}text[@class='ex-column__value']")))
        label = group.find(f"{SVG}text[@class='ex-column__label']")
        assert label is None or text(label) == title.split(":")[0]
        columns.append((title.split(":")[0], value))
    assert columns == table_rows(data) == [("2021", 1), ("2022", 0), ("2023", 4), ("2024", 3), ("2025", 1)]
    assert text(data.find("tfoot")) == "Tổng số gương 9"


def test_map_tiles_show_the_numbers_of_the_province_table(built: SiteFixture) -> None:
    html = built.built("thong-ke/index.html")
    svg = element(html, "svg", "data-chart", "ban-do-tinh")
    data = element(html, "table", "data-table", "bang-tinh")
    tiles = {}
    for group in svg.iter(f"{SVG}g"):
        if group.get("class") != "ex-tile":
            continue
        name = text(group.find(f"{SVG}title")).split(":")[0]
        tiles[name] = int(text(group.find(f"{SVG}text[@class='ex-tile__count']")))
    assert len(tiles) == 34
    assert tiles == dict(table_rows(data))
    assert (tiles["Ninh Bình"], tiles["Lạng Sơn"], tiles["Đắk Lắk"], tiles["Hà Nội"]) == (4, 4, 1, 0)
    # Former provinces are shown inside the one they merged into.
    ninh_binh = next(row for row in data.find("tbody") if text(row.find("th")).startswith("Ninh Bình"))
    assert text(ninh_binh.find("th")) == "Ninh Bình gồm Ninh Bình 0, Hà Nam 1, Nam Định 3"


def test_map_shows_hoang_sa_and_truong_sa_as_vietnamese_territory(built: SiteFixture) -> None:
    html = built.built("thong-ke/index.html")
    svg = element(html, "svg", "data-chart", "ban-do-tinh")
    islands = [text(g.find(f"{SVG}title")) for g in svg.iter(f"{SVG}g") if g.get("class") == "ex-map__islands"]
    assert islands == ["Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)"]
    labels = text(svg)
    assert "Hoàng Sa (Đà Nẵng)" in labels and "Trường Sa (Khánh Hòa)" in labels and "Biển Đông" in labels
    assert "quần đảo Hoàng Sa (thành phố Đà Nẵng) và quần đảo Trường Sa (tỉnh Khánh Hòa)" in text(
        svg.find(f"{SVG}desc")
    )


def test_charts_are_accessible_images_with_title_and_description(built: SiteFixture) -> None:
    html = built.built("thong-ke/index.html")
    for chart in ("bieu-do-nam", "bieu-do-loai", "bieu-do-linh-vuc", "ban-do-tinh"):
        svg = element(html, "svg", "data-chart", chart)
        assert svg.get("role") == "img"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert text(title) and "Số liệu đầy đủ ở bảng bên cạnh" in text(desc)
    assert "<script" not in html[html.index("<article") : html.index("</article>")]


def test_each_table_has_a_csv_download_in_utf8_with_bom(built: SiteFixture) -> None:
    html = built.built("thong-ke/index.html")
    data = element(html, "table", "data-table", "bang-tinh")
    for name in ("guong-theo-nam", "guong-theo-loai", "guong-theo-linh-vuc", "guong-theo-tinh", "guong-theo-ke-hoach"):
        assert f'href="{name}.csv" download' in html
        raw = (built.root / "site" / "thong-ke" / f"{name}.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO((built.root / "site/thong-ke/guong-theo-tinh.csv").read_text("utf-8-sig"))))
    assert rows[0] == ["Mã tỉnh", "Tỉnh, thành phố (từ 1/7/2025)", "Số gương", "Gồm (theo tên khi được công nhận)"]
    assert [(r[1], int(r[2])) for r in rows[1:]] == table_rows(data)
    assert ["ninh-binh", "Ninh Bình", "4", "Ninh Bình: 0; Hà Nam: 1; Nam Định: 3"] in rows


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_chart_colours_have_enough_contrast() -> None:
    assert all(contrast(shade.fill, shade.ink) >= 4.5 for shade in SHADES)
    assert contrast(BAR_COLOR, "#ffffff") >= 3 and contrast(TILE_EDGE, "#ffffff") >= 3


def test_tile_map_layout_has_one_tile_per_province_and_no_overlaps() -> None:
    counts = [Count(pid, pid, 0) for pid in TILE_GRID]
    tile_map = layout_tile_map("m", "Bản đồ", counts)
    boxes = [(t.x, t.y, t.x + TILE_W, t.y + TILE_H) for t in tile_map.tiles]
    boxes += [(a.x, a.y, a.x + a.width, a.y + a.height) for a in tile_map.archipelagos]
    assert len(set(TILE_GRID.values())) == len(TILE_GRID) == 34
    for index, (x1, y1, x2, y2) in enumerate(boxes):
        assert x1 >= 0 and x2 <= tile_map.width and y1 >= 0 and y2 <= tile_map.height
        for ox1, oy1, ox2, oy2 in boxes[index + 1 :]:
            assert x2 <= ox1 or ox2 <= x1 or y2 <= oy1 or oy2 <= y1, "two shapes overlap"


def test_plan_dashboard_sets_what_the_plan_asks_beside_what_the_site_holds(built: SiteFixture) -> None:
    html = built.built("ke-hoach/lang-son-skhdt-2022-2025/index.html")
    assert 'Số liệu tính đến ngày <time datetime="2025-06-30">30/06/2025</time>' in html
    assert "Kế hoạch nêu: tối thiểu 2 gương mỗi năm, là tập thể hoặc cá nhân." in html
    years = re.findall(r'<li class="ex-target-year[^"]*">(.*?)</li>', html)
    assert years == [
        "Năm 2023 (từ 05/04/2023 đến 31/12/2023): 1 gương đăng trên trang này được tính (1 cá nhân).",
        "Năm 2024: 1 gương đăng trên trang này được tính (1 cá nhân).",
        "Năm 2025 (từ 01/01/2025 đến ngày 30/06/2025): 0 gương đăng trên trang này được tính.",
    ]
    # The household published in 2024 is counted in its field, apart from the plan's own fields.
    table = element(html, "table", "data-table", "tien-do-linh-vuc")
    rows = {text(r.find("th")): [text(td) for td in r.findall("td")] for r in table.find("tbody")}
    assert rows["Vì người nghèo - không để ai bị bỏ lại phía sau; giảm nghèo kế hoạch không nêu lĩnh vực này"] == [
        "không nêu", "0", "1", "0", "1",
    ]  # fmt: skip
    assert rows["Xây dựng mô hình điển hình “dân vận khéo” lĩnh vực chung: Dân vận khéo"] == [
        "Các phòng, đơn vị thuộc và trực thuộc Sở", "0", "0", "0", "0",
    ]  # fmt: skip


def test_per_department_target_says_what_the_site_cannot_show(built: SiteFixture) -> None:
    html = " ".join(built.built("ke-hoach/nam-dinh-2022-2025/index.html").split())
    assert (
        "Kế hoạch nêu: mỗi đơn vị tối thiểu 1, tối đa 2 gương mỗi năm. Con số này áp dụng cho từng đơn vị; hồ sơ "
        "trên trang không ghi đơn vị nào đề xuất gương nên trang không chia số gương theo đơn vị."
    ) in html
    assert "Năm 2023 (từ 01/04/2023 đến 31/12/2023): 1 gương đăng trên trang này được tính (1 hộ gia đình)." in html


def test_plan_dashboard_shows_fields_per_year_with_lead_agencies(built: SiteFixture) -> None:
    html = built.built("ke-hoach/nam-dinh-2022-2025/index.html")
    table = element(html, "table", "data-table", "tien-do-linh-vuc")
    header = [text(th) for th in table.find("thead").iter("th")]
    assert header == ["Mục của kế hoạch", "Cơ quan chủ trì", "2023", "2024", "2025", "Tổng"]
    rows = {text(r.find("th")).split(" ")[0]: [text(td) for td in r.findall("td")] for r in table.find("tbody")}
    assert rows["3.14."] == ["Hội Nông dân thành phố", "1", "0", "0", "1"]
    # Published before the plan was issued (12/2021, 03/2023): listed under it, counted in no year.
    assert rows["3.8."] == ["Phòng Giáo dục và Đào tạo", "0", "0", "0", "0"]
    assert [text(td) for td in table.find("tfoot").iter("td")] == ["", "1", "0", "0", "1"]
    assert "<strong>2/16</strong><span>lĩnh vực của kế hoạch đã có gương trên trang này</span>" in html
    assert "2 gương ghi theo kế hoạch nhưng được công nhận ngoài khoảng thời gian tính" in html


def test_plan_timeline_marks_each_milestone_against_the_content_date(built: SiteFixture) -> None:
    html = built.built("ke-hoach/nam-dinh-2022-2025/index.html")
    states = re.findall(r'<li class="ex-milestone ex-milestone--(\w+)"', html)
    assert states == ["past", "past", "past", "current", "current", "undated"]
    assert re.search(
        r'id="moc-tiep-theo">\s*<p class="ex-milestone__when"><time datetime="2025-06-30"><strong>Quý II/2025', html
    )
    assert "Đã qua mốc</span>" in html and "đã hết ngày 30/05/2023" in html
    # Dates, never the reader's today: "từ … đến …", not "hôm nay" or "còn 184 ngày".
    assert "từ 01/04/2025 đến 30/06/2025" in html
    assert "từ 01/01/2025 đến 31/12/2025; cơ quan ban hành không còn từ ngày 01/07/2025" in html
    assert "Trang không theo dõi việc đã làm xong hay chưa" in html
    # Past spans start folded, the running ones and the undated steps open.
    assert html.count('<details class="ex-milestone__items">') == 3
    assert html.count('<details class="ex-milestone__items" open>') == 3


STATUS_NAM_DINH = (
    "Tính đến ngày 30/06/2025: 1 gương đăng trên trang này được tính theo kế hoạch · trong thời gian thực hiện, "
    "đến hết ngày 30/06/2025 (cơ quan ban hành không còn từ ngày 01/07/2025) · mốc tiếp theo: quý II/2025"
)


def test_field_page_shows_which_plans_cover_it_and_what_the_site_holds(built: SiteFixture) -> None:
    html = built.built("linh-vuc/hoc-tap-lam-theo-bac/index.html")
    table = element(html, "table", "data-table", "ke-hoach-linh-vuc")
    rows = [[text(c) for c in r] for r in table.find("tbody")]
    plans = [text(r.find("th/a")) for r in table.find("tbody")]
    assert [(plan, r[1], r[2]) for plan, r in zip(plans, rows, strict=True)] == [
        ("Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn", "Các phòng, đơn vị thuộc và trực thuộc Sở", "1"),
        ("Ủy ban nhân dân thành phố Nam Định", "Ban Tuyên giáo Thành uỷ", "0"),
    ]
    assert rows[0][3] == (
        "Tính đến ngày 30/06/2025: 3 gương đăng trên trang này được tính theo kế hoạch · trong thời gian thực hiện"
    )
    assert rows[1][3] == STATUS_NAM_DINH
    assert 'href="../../so-sanh/hoc-tap-lam-theo-bac/"' in html


def test_province_page_shows_its_plans_and_what_the_site_holds(built: SiteFixture) -> None:
    html = built.built("dia-phuong/ninh-binh/index.html")
    assert STATUS_NAM_DINH in html


def test_comparison_page_sets_wording_criteria_and_leads_side_by_side(built: SiteFixture) -> None:
    html = built.built("so-sanh/hoc-tap-lam-theo-bac/index.html")
    article = html[html.index("<article") : html.index("</article>")]
    head = re.search(r"<thead>(.*?)</thead>", article, re.S).group(1)
    assert re.findall(r'<a href="[^"]+">([^<]+)</a>', head) == [
        "Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn",
        "Ủy ban nhân dân thành phố Nam Định",
    ]
    for row in ("Cách gọi tên", "Cơ quan chủ trì", "Tiêu chí tập thể", "Tiêu chí cá nhân"):
        assert f'<th scope="row">{row}</th>' in article
    assert "Ban Tuyên giáo Thành uỷ" in article and "Các phòng, đơn vị thuộc và trực thuộc Sở" in article
    # Lạng Sơn gives no criteria per area: its general criteria apply, and the page says so.
    assert "Theo tiêu chí chung của kế hoạch:" in article
    assert 'data-label="Sở Kế hoạch và Đầu tư tỉnh Lạng Sơn"' in article  # the phone layout names each plan
    index = built.built("so-sanh/index.html")
    assert 'href="hoc-tap-lam-theo-bac/"' in index and 'href="dan-van-kheo/"' not in index


def test_plan_index_links_comparisons_and_statistics(built: SiteFixture) -> None:
    html = built.built("ke-hoach/index.html")
    assert 'href="../so-sanh/"' in html and 'href="../thong-ke/"' in html
    assert "Tính đến ngày 30/06/2025: 3 gương đăng trên trang này được tính theo kế hoạch" in html


def test_pages_fit_a_phone_screen(built: SiteFixture) -> None:
    from playwright.sync_api import sync_playwright

    pages = [
        "thong-ke/index.html",
        "ke-hoach/nam-dinh-2022-2025/index.html",
        "so-sanh/hoc-tap-lam-theo-bac/index.html",
        "linh-vuc/hoc-tap-lam-theo-bac/index.html",
    ]
    site = built.root / "site"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 412, "height": 900})
            page.route(
                "**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort()
            )
            for path in pages:
                page.goto(Path(site, path).as_uri())
                # What our templates put in the article must fit, tables included (they turn into cards);
                # Material's header, which can overflow with a long page title, is the theme's business.
                overflowing = page.evaluate(
                    "[...document.querySelectorAll('article *')]"
                    ".filter(e => e.getBoundingClientRect().right > 412.5)"
                    ".map(e => e.tagName + '.' + e.className)"
                )
                assert overflowing == [], f"{path} is wider than a phone: {overflowing[:5]}"
                charts = page.evaluate(
                    "[...document.querySelectorAll('svg[data-chart]')].map(s => s.getBoundingClientRect().width)"
                )
                assert all(300 <= w <= 412 for w in charts), (path, charts)
        finally:
            browser.close()


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    from build_tools.site.statistics import Statistics, render_statistics_csv

    hostile = Count("x", '=HYPERLINK("http://example.invalid")', 1)
    stats = Statistics(CONTENT_DATE, 1, (), (), (hostile,), (), ())
    text = render_statistics_csv(stats)["thong-ke/guong-theo-linh-vuc.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text
