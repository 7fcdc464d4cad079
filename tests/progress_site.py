"""A small site whose counts, targets and dates are known by heart, shared by the progress and statistics tests.

Counts as of 30/06/2025 (the content date set below); "→" is the province in force today:

slug                     kind         province              fields                              plan      published
doan-vien-nam-dinh       ca-nhan      nam-dinh → ninh-binh  thanh-nien                          nam-dinh  2021-12-01
co-giao-nam-dinh         ca-nhan      nam-dinh → ninh-binh  day-tot-hoc-tot, chuyen-doi-so      nam-dinh  2023-03-01
ho-nong-dan-nam-dinh     ho-gia-dinh  nam-dinh → ninh-binh  nong-dan-san-xuat-gioi, giam-ngheo  nam-dinh  2023-09-01
phong-dkkd-lang-son      tap-the      lang-son              dan-van-kheo                        lang-son  2023-02-10
can-bo-lang-son          ca-nhan      lang-son              hoc-tap-lam-theo-bac                lang-son  2023-11-20
chuyen-vien-lang-son     ca-nhan      lang-son              nhiem-vu-chuyen-mon                 lang-son  2024-04-22
ho-thoat-ngheo-lang-son  ho-gia-dinh  lang-son              giam-ngheo                          lang-son  2024-08-01
htx-ha-nam               tap-the      ha-nam → ninh-binh    nong-thon-moi                       –         2024-05-01
y-si-phu-yen             ca-nhan      phu-yen → dak-lak     y-te                                –         2025-01-15
"""

from __future__ import annotations

import datetime as dt

from .conftest import SiteFixture

CONTENT_DATE = dt.date(2025, 6, 30)
NAM_DINH = "nam-dinh-2022-2025"
LANG_SON = "lang-son-skhdt-2022-2025"

PROFILES: list[dict[str, object]] = [
    dict(slug="doan-vien-nam-dinh", name="Trần Văn Đoàn", kind="ca-nhan", province="nam-dinh",
         fields=["thanh-nien"], plans=[NAM_DINH], published="2021-12-01"),
    dict(slug="co-giao-nam-dinh", name="Nguyễn Thị Hương", kind="ca-nhan", province="nam-dinh",
         fields=["day-tot-hoc-tot", "chuyen-doi-so"], plans=[NAM_DINH], published="2023-03-01"),
    dict(slug="ho-nong-dan-nam-dinh", name="Hộ ông Lê Văn Toàn", kind="ho-gia-dinh", province="nam-dinh",
         fields=["nong-dan-san-xuat-gioi", "giam-ngheo"], plans=[NAM_DINH], published="2023-09-01"),
    dict(slug="phong-dkkd-lang-son", name="Phòng Đăng ký kinh doanh", kind="tap-the", province="lang-son",
         fields=["dan-van-kheo"], plans=[LANG_SON], published="2023-02-10", consent=None),
    dict(slug="can-bo-lang-son", name="Nông Thị Thu Trang", kind="ca-nhan", province="lang-son",
         fields=["hoc-tap-lam-theo-bac"], plans=[LANG_SON], published="2023-11-20"),
    dict(slug="chuyen-vien-lang-son", name="Hoàng Văn Minh", kind="ca-nhan", province="lang-son",
         fields=["nhiem-vu-chuyen-mon"], plans=[LANG_SON], published="2024-04-22"),
    dict(slug="ho-thoat-ngheo-lang-son", name="Hộ bà Lương Thị Mai", kind="ho-gia-dinh", province="lang-son",
         fields=["giam-ngheo"], plans=[LANG_SON], published="2024-08-01"),
    dict(slug="htx-ha-nam", name="Hợp tác xã Nhân Hòa", kind="tap-the", province="ha-nam",
         fields=["nong-thon-moi"], published="2024-05-01", consent=None),
    dict(slug="y-si-phu-yen", name="Y sĩ Ksor Y Duyên", kind="ca-nhan", province="phu-yen",
         fields=["y-te"], published="2025-01-15"),
]  # fmt: skip


def set_content_date(site: SiteFixture, value: str | None) -> None:
    """Write `content_date` into the fixture's plugin options (and put the statistics page in its navigation)."""
    site.write_config()
    config = site.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    if value is not None:
        text = text.replace(
            f"      feed_items: {site.feed_items}\n",
            f"      feed_items: {site.feed_items}\n      content_date: {value}\n",
        )
    text = text.replace(
        "  - Kế hoạch: ke-hoach/index.md\n", "  - Kế hoạch: ke-hoach/index.md\n  - Thống kê: thong-ke/index.md\n"
    )
    config.write_text(text, encoding="utf-8")


def plans_at_work(site: SiteFixture) -> SiteFixture:
    site.plan(NAM_DINH)
    site.plan(LANG_SON)
    for profile in PROFILES:
        fields = dict(profile)
        site.profile(str(fields.pop("slug")), summary=f"{fields['name']}: câu chuyện mẫu.", **fields)
    set_content_date(site, CONTENT_DATE.isoformat())
    return site
