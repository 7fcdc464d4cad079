"""Every rule of `exemplars check`, one named case each, and the exact line an officer or a maintainer reads for it:
file, line, field and the whole Vietnamese message. Mistakes officers make in real pull requests live in
tests/fixtures/broken/ (test_broken_profiles.py); this table covers the rest of the rules, so that no message changes
without a test saying so.

Each table is checked in one run, as one pull request holding every mistake would be: a mistake is reported where it
is, and nowhere else.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from build_tools.content.gather import check
from build_tools.content.problems import ContentError

from .conftest import BASE_PROFILE, SiteFixture

WITH_PHOTO = {"src": "anh.jpg", "alt": "Cô Hương trên lớp", "credit": "Báo Nam Định"}


def reported(site: SiteFixture) -> list[str]:
    """What `exemplars check` prints for the site, one line per problem, without the count."""
    try:
        check(site.project)
    except ContentError as error:
        return [str(p) for p in sorted(error.problems, key=lambda p: (p.path, p.line or 0, p.key or "", p.message))]
    return []


# --- profiles: one folder per case, named after the mistake ----------------------------------------------------

Setup = Callable[[SiteFixture, str], None]


def photo_beside(site: SiteFixture, slug: str) -> None:
    site.photo(slug)


def photo_named(name: str) -> Setup:
    def setup(site: SiteFixture, slug: str) -> None:
        site.photo(slug, name=name)

    return setup


def photo_linked_outside(site: SiteFixture, slug: str) -> None:
    elsewhere = site.photo("../../ngoai-kho")  # a photo outside the repository's exemplars/
    folder = site.root / "exemplars" / slug
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink(elsewhere, folder / "anh.jpg")


PROFILE_CASES: dict[str, tuple[dict[str, Any], Setup | None, list[str]]] = {
    "ten-de-trong": (
        {"name": ""},
        None,
        [
            "exemplars/ten-de-trong/index.md:2: name: Tên đang để trống. Hãy điền vào (một đoạn chữ).",
        ],
    ),
    "ten-la-so": (
        {"name": 123},
        None,
        [
            "exemplars/ten-la-so/index.md:2: name: Tên phải là một đoạn chữ (đang là số `123`).",
        ],
    ),
    "ten-qua-dai": (
        {"name": "Hợp tác xã " * 16},
        None,
        [
            "exemplars/ten-qua-dai/index.md:2: name: Tên dài 176 ký tự, tối đa 150. Hãy rút gọn.",
        ],
    ),
    "loai-co-chu-thua": (
        {"kind": "ca-nhan-tieu-bieu"},
        None,
        [
            (
                "exemplars/loai-co-chu-thua/index.md:3: kind: loại không hợp lệ: `ca-nhan-tieu-bieu`. Chọn một "
                "trong: `ca-nhan` (cá nhân), `tap-the` (tập thể), `ho-gia-dinh` (hộ gia đình)."
            ),
        ],
    ),
    "loai-la-nghe-nghiep": (
        {"kind": "giao-vien"},
        None,
        [
            # no guess: by similarity alone a teacher was once asked whether they meant a household
            "exemplars/loai-la-nghe-nghiep/index.md:3: kind: loại không hợp lệ: `giao-vien`. Chọn một trong: "
            "`ca-nhan` (cá nhân), `tap-the` (tập thể), `ho-gia-dinh` (hộ gia đình).",
        ],
    ),
    "linh-vuc-trong": (
        {"fields": []},
        None,
        [
            (
                "exemplars/linh-vuc-trong/index.md:4: fields: cần một danh sách có ít nhất một mã lĩnh vực, ví dụ "
                "`[day-tot-hoc-tot]` (đang là một danh sách trống)."
            ),
        ],
    ),
    "linh-vuc-ghi-hai-lan": (
        {"fields": ["y-te", "y-te"]},
        None,
        [
            ("exemplars/linh-vuc-ghi-hai-lan/index.md:6: fields.1: lĩnh vực `y-te` bị ghi hai lần. Hãy xóa mục thừa."),
        ],
    ),
    "tinh-go-nham": (
        {"province": "nam-dihn"},
        None,
        [
            (
                "exemplars/tinh-go-nham/index.md:6: province: mã tỉnh, thành phố `nam-dihn` không có trong danh "
                "sách (plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý bạn là "
                "`nam-dinh`?"
            ),
        ],
    ),
    "tinh-co-chu-tinh": (
        {"province": "Tỉnh Lai Châu"},
        None,
        [
            (
                "exemplars/tinh-co-chu-tinh/index.md:6: province: mã tỉnh, thành phố `Tỉnh Lai Châu` không có "
                "trong danh sách (plans/provinces.yml). Mã viết thường, không dấu, nối bằng gạch ngang. Có phải ý "
                "bạn là `lai-chau`?"
            ),
        ],
    ),
    "tinh-khong-co": (
        {"province": "sai-gon-cu"},
        None,
        [
            (
                "exemplars/tinh-khong-co/index.md:6: province: mã tỉnh, thành phố `sai-gon-cu` không có trong "
                "danh sách (plans/provinces.yml). Dùng mã không dấu, viết thường, nối bằng gạch ngang, theo tên "
                "tại thời điểm được công nhận, ví dụ `nam-dinh` (danh sách mã trong CONTRIBUTING.md)."
            ),
        ],
    ),
    "dia-ban-co-html": (
        {"locality": "<b>Phường Lộc Hạ</b>"},
        None,
        [
            (
                "exemplars/dia-ban-co-html/index.md:13: locality: Địa bàn (locality) không được chứa ký tự `<` "
                "hoặc `>` (mã HTML). Hãy chỉ viết chữ."
            ),
        ],
    ),
    "co-quan-la-danh-sach": (
        {"organization": ["Trường THCS", "Phường Lộc Hạ"]},
        None,
        [
            (
                "exemplars/co-quan-la-danh-sach/index.md:13: organization: Cơ quan, đơn vị (organization) phải là "
                "một đoạn chữ (đang là một danh sách)."
            ),
        ],
    ),
    "ke-hoach-khong-phai-danh-sach": (
        {"plans": "nam-dinh-2022-2025"},
        None,
        [
            (
                "exemplars/ke-hoach-khong-phai-danh-sach/index.md:13: plans: cần một danh sách mã kế hoạch, ví dụ "
                "`[nam-dinh-2022-2025]` (đang là `nam-dinh-2022-2025`)."
            ),
        ],
    ),
    "khen-thuong-khong-phai-danh-sach": (
        {"awards": "Bằng khen của Chủ tịch UBND tỉnh"},
        None,
        [
            (
                "exemplars/khen-thuong-khong-phai-danh-sach/index.md:13: awards: cần một danh sách; mỗi khen "
                "thưởng bắt đầu bằng `- title: …` và có thể có `decision:` và `date:`."
            ),
        ],
    ),
    "khen-thuong-la-chu": (
        {"awards": ["Bằng khen của Chủ tịch UBND tỉnh"]},
        None,
        [
            (
                "exemplars/khen-thuong-la-chu/index.md:14: awards.0: mỗi khen thưởng cần các trường `title`, "
                "`decision` (số quyết định), `date`."
            ),
        ],
    ),
    "khen-thuong-truong-la": (
        {"awards": [{"title": "Bằng khen", "so": "12/QĐ-UBND"}]},
        None,
        [
            (
                "exemplars/khen-thuong-truong-la/index.md:15: awards.0.so: trường `so` không có trong mẫu hồ sơ. "
                "Các trường được phép: title, decision, date."
            ),
        ],
    ),
    "khen-thuong-thieu-ten": (
        {"awards": [{"decision": "Quyết định số 12/QĐ-UBND"}]},
        None,
        [
            (
                "exemplars/khen-thuong-thieu-ten/index.md:14: awards.0.title: Tên khen thưởng (title) đang để "
                "trống. Hãy điền vào (một đoạn chữ)."
            ),
        ],
    ),
    "khen-thuong-ngay-bang-chu": (
        {"awards": [{"title": "Bằng khen", "date": "tháng 5 năm 2023"}]},
        None,
        [
            (
                "exemplars/khen-thuong-ngay-bang-chu/index.md:15: awards.0.date: ngày không hợp lệ: `tháng 5 năm "
                "2023`. Ngày phải viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-05-12."
            ),
        ],
    ),
    "khen-thuong-truoc-1900": (
        {"awards": [{"title": "Bằng khen", "date": "1890-05-12"}]},
        None,
        [
            (
                "exemplars/khen-thuong-truoc-1900/index.md:15: awards.0.date: ngày `1890-05-12` trước năm 1900. "
                "Kiểm tra lại năm."
            ),
        ],
    ),
    "ngay-dang-o-tuong-lai": (
        {"published": "2204-06-01"},
        None,
        [
            (
                "exemplars/ngay-dang-o-tuong-lai/index.md:8: published: ngày `2204-06-01` ở tương lai, sau ngày "
                "chốt số liệu (content_date trong mkdocs.yml) và sau hôm nay. Kiểm tra lại năm; nếu đúng là ngày "
                "sắp tới, hãy đợi đến gần ngày đó rồi mới thêm."
            ),
        ],
    ),
    "ngay-dang-la-so": (
        {"published": 2023},
        None,
        [
            (
                "exemplars/ngay-dang-la-so/index.md:8: published: ngày không hợp lệ: số `2023`. Ngày phải viết "
                "theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-05-12."
            ),
        ],
    ),
    "thieu-ngay-dang": (
        {"published": None},
        None,
        [
            (
                "exemplars/thieu-ngay-dang/index.md:1: published: thiếu trường bắt buộc. Ngày đăng bài "
                "(NĂM-THÁNG-NGÀY). Đã đăng thì không sửa ngày này (mã của câu chuyện trong feed dựa vào nó); ngày "
                "sửa bài ghi vào `updated`. Ví dụ: `published: 2023-06-01`."
            ),
        ],
    ),
    "tom-tat-de-trong": (
        {"summary": ""},
        None,
        [
            (
                "exemplars/tom-tat-de-trong/index.md:7: summary: Phần tóm tắt đang để trống. Hãy điền vào (một "
                "đoạn chữ)."
            ),
        ],
    ),
    "ngay-cap-nhat-kieu-viet-nam": (
        {"updated": "10/7/2023"},
        None,
        [
            (
                "exemplars/ngay-cap-nhat-kieu-viet-nam/index.md:13: updated: ngày không hợp lệ: `10/7/2023`. Hãy "
                "viết `2023-07-10` (NĂM-THÁNG-NGÀY) thay cho `10/7/2023`."
            ),
        ],
    ),
    "anh-khong-phai-nhom": (
        {"photo": "anh.jpg"},
        None,
        [
            (
                "exemplars/anh-khong-phai-nhom/index.md:13: photo: cần ba trường: `{src: ten-anh.jpg, alt: Mô tả "
                "ảnh, credit: Tác giả hoặc nguồn ảnh}`."
            ),
        ],
    ),
    "anh-thieu-ten-tep": (
        {"photo": {"alt": "Cô Hương", "credit": "Báo Nam Định"}},
        None,
        [
            (
                "exemplars/anh-thieu-ten-tep/index.md:13: photo.src: thiếu tên tệp ảnh (src), ví dụ "
                "`chan-dung.jpg`, đặt cùng thư mục với index.md."
            ),
        ],
    ),
    "anh-la-tep-pdf": (
        {"photo": {**WITH_PHOTO, "src": "ho-so.pdf"}},
        None,
        [
            (
                "exemplars/anh-la-tep-pdf/index.md:14: photo.src: `ho-so.pdf` không phải tên tệp ảnh: chỉ dùng "
                "ảnh `.jpg`, `.jpeg`, `.png` hoặc `.webp`."
            ),
        ],
    ),
    "anh-co-truong-la": (
        {"photo": {**WITH_PHOTO, "width": 300}},
        photo_beside,
        [
            (
                "exemplars/anh-co-truong-la/index.md:17: photo.width: trường `width` không có trong mẫu hồ sơ. "
                "Các trường được phép: src, alt, credit."
            ),
        ],
    ),
    "anh-khac-ten": (
        {"photo": {**WITH_PHOTO, "src": "chan-dung.jpg"}},
        photo_beside,
        [
            (
                "exemplars/anh-khac-ten/index.md:14: photo.src: không tìm thấy tệp ảnh `chan-dung.jpg` trong thư "
                "mục của hồ sơ. Các ảnh có trong thư mục: anh.jpg."
            ),
        ],
    ),
    "anh-mo-ta-qua-dai": (
        {"photo": {**WITH_PHOTO, "alt": "Cô Hương đứng trên bục giảng. " * 9}},
        photo_beside,
        [
            (
                "exemplars/anh-mo-ta-qua-dai/index.md:15: photo.alt: Mô tả ảnh (alt) dài 270 ký tự, tối đa 250. "
                "Hãy rút gọn."
            ),
        ],
    ),
    "anh-nguon-de-trong": (
        {"photo": {**WITH_PHOTO, "credit": ""}},
        photo_beside,
        [
            (
                "exemplars/anh-nguon-de-trong/index.md:16: photo.credit: Nguồn ảnh (credit) đang để trống. Hãy "
                "điền vào (một đoạn chữ)."
            ),
        ],
    ),
    "anh-la-lien-ket": (
        {"photo": WITH_PHOTO},
        photo_linked_outside,
        [
            (
                "exemplars/anh-la-lien-ket/index.md:14: photo.src: tệp `anh.jpg` là một liên kết tượng trưng "
                "(symbolic link), không phải tệp thật. Trang chỉ đọc và đăng những gì nằm trong kho: hãy thay "
                "liên kết bằng chính tệp đó."
            ),
        ],
    ),
    "anh-ten-co-so-dien-thoai": (
        {"photo": {**WITH_PHOTO, "src": "huong-0912345678.jpg"}},
        photo_named("huong-0912345678.jpg"),
        [
            (
                "exemplars/anh-ten-co-so-dien-thoai/index.md:14: photo.src: dòng này có số điện thoại "
                "`0912345678`. Không đăng số điện thoại cá nhân: hãy xóa số này. Nếu đây là số đường dây nóng "
                "công khai của cơ quan, đơn vị, hãy ghi nó vào trường `public_contacts` để được phép đăng."
            ),
            (
                "exemplars/anh-ten-co-so-dien-thoai/index.md:14: photo.src: tên tệp ảnh `huong-0912345678.jpg` có "
                "`0912345678`, giống số điện thoại, số căn cước hoặc thư điện tử; tên này thành địa chỉ trên "
                "trang. Hãy đổi tên, bỏ phần đó đi."
            ),
        ],
    ),
    "nguon-khong-phai-danh-sach": (
        {"sources": "https://example.vn/bai-viet"},
        None,
        [
            (
                "exemplars/nguon-khong-phai-danh-sach/index.md:10: sources: cần một danh sách; mỗi nguồn có dạng "
                '`- {title: "Tên bài", url: "https://…"}`.'
            ),
        ],
    ),
    "nguon-la-chu": (
        {"sources": ["https://example.vn/bai-viet"]},
        None,
        [
            (
                "exemplars/nguon-la-chu/index.md:11: sources.0: mỗi nguồn cần `title` (tên bài báo) và `url` (địa "
                "chỉ https://…)."
            ),
        ],
    ),
    "nguon-thieu-ten-bai": (
        {"sources": [{"url": "https://example.vn/bai-viet"}]},
        None,
        [
            (
                "exemplars/nguon-thieu-ten-bai/index.md:11: sources.0.title: Tên bài (title) đang để trống. Hãy "
                "điền vào (một đoạn chữ)."
            ),
        ],
    ),
    "nguon-co-mat-khau": (
        {"sources": [{"title": "Bài", "url": "https://huong:matkhau@example.vn/a"}]},
        None,
        [
            (
                "exemplars/nguon-co-mat-khau/index.md:12: sources.0.url: dòng này có địa chỉ thư điện tử "
                "`matkhau@example.vn`. Không đăng thư điện tử cá nhân: hãy xóa. Nếu đây là địa chỉ công khai của "
                "cơ quan, đơn vị, hãy ghi nó vào trường `public_contacts` để được phép đăng."
            ),
            (
                "exemplars/nguon-co-mat-khau/index.md:12: sources.0.url: địa chỉ "
                "`https://huong:matkhau@example.vn/a` chứa tên đăng nhập hoặc mật khẩu. Hãy chép địa chỉ công "
                "khai của bài báo."
            ),
        ],
    ),
    "nguon-la-dia-chi-ip": (
        {"sources": [{"title": "Bài", "url": "https://10.0.0.1/bai-viet"}]},
        None,
        [
            (
                "exemplars/nguon-la-dia-chi-ip/index.md:12: sources.0.url: tên miền `10.0.0.1` trong địa chỉ "
                "không hợp lệ. Hãy chép lại địa chỉ từ thanh địa chỉ của trình duyệt."
            ),
        ],
    ),
    "dong-y-bang-chu": (
        {"consent": "có"},
        None,
        [
            (
                "exemplars/dong-y-bang-chu/index.md:9: consent: chỉ ghi `true` (đã có sự đồng ý) hoặc `false` "
                "(đang là `có`)."
            ),
        ],
    ),
    "lien-he-khong-phai-danh-sach": (
        {"kind": "tap-the", "public_contacts": "0262 3812 345"},
        None,
        [
            (
                "exemplars/lien-he-khong-phai-danh-sach/index.md:13: public_contacts: cần một danh sách, ví dụ "
                '`["Đường dây nóng UBND xã: 0228 3812 345"]` (đang là `0262 3812 345`).'
            ),
            (
                "exemplars/lien-he-khong-phai-danh-sach/index.md:13: public_contacts: dòng này có số điện thoại "
                "`0262 3812 345`. Không đăng số điện thoại cá nhân: hãy xóa số này. Nếu đây là số đường dây nóng "
                "công khai của cơ quan, đơn vị, hãy ghi nó vào trường `public_contacts` để được phép đăng."
            ),
        ],
    ),
    "lien-he-khong-co-so": (
        {"kind": "tap-the", "public_contacts": ["Văn phòng trạm"]},
        None,
        [
            (
                "exemplars/lien-he-khong-co-so/index.md:14: public_contacts.0: `Văn phòng trạm` không có số điện "
                "thoại hay địa chỉ thư điện tử nào. Chỉ ghi ở đây số đường dây nóng, điện thoại hoặc thư điện tử "
                "công khai của cơ quan, đơn vị."
            ),
        ],
    ),
    "dinh-chinh-khong-phai-danh-sach": (
        {"corrections": "Đính chính: tên trường."},
        None,
        [
            (
                "exemplars/dinh-chinh-khong-phai-danh-sach/index.md:13: corrections: cần một danh sách; mỗi đính "
                'chính có dạng `- {date: 2024-03-01, text: "Đính chính: …"}` (đang là `Đính chính: tên trường.`).'
            ),
        ],
    ),
    "dinh-chinh-la-chu": (
        {"corrections": ["Đính chính: tên trường."]},
        None,
        [
            (
                "exemplars/dinh-chinh-la-chu/index.md:14: corrections.0: mỗi đính chính cần `date` (ngày đính "
                "chính) và `text` (nội dung), trong ngoặc `{…}`."
            ),
        ],
    ),
    "dinh-chinh-truoc-ngay-dang": (
        {"corrections": [{"date": "2023-05-01", "text": "Sửa."}]},
        None,
        [
            (
                "exemplars/dinh-chinh-truoc-ngay-dang/index.md:14: corrections.0.date: ngày đính chính 2023-05-01 "
                "sớm hơn ngày đăng 2023-06-01. Kiểm tra lại."
            ),
        ],
    ),
    "dinh-chinh-qua-dai": (
        {"corrections": [{"date": "2024-03-01", "text": "Sửa tên trường. " * 32}]},
        None,
        [
            (
                "exemplars/dinh-chinh-qua-dai/index.md:15: corrections.0.text: Nội dung đính chính (text) dài 512 "
                "ký tự, tối đa 500. Hãy rút gọn."
            ),
        ],
    ),
    "tu-khoa-khong-phai-danh-sach": (
        {"tags": "giáo dục"},
        None,
        [
            (
                "exemplars/tu-khoa-khong-phai-danh-sach/index.md:13: tags: Từ khóa (tags) phải là một danh sách, "
                "ví dụ `[giáo dục, tình nguyện]` (đang là `giáo dục`)."
            ),
        ],
    ),
    "tu-khoa-de-trong": (
        {"tags": ["giáo dục", ""]},
        None,
        [
            (
                "exemplars/tu-khoa-de-trong/index.md:15: tags.1: mục 2 của Từ khóa (tags) đang để trống. Hãy điền "
                "vào (một đoạn chữ)."
            ),
        ],
    ),
    "ban-nhap-bang-chu": (
        {"draft": "không"},
        None,
        [
            (
                "exemplars/ban-nhap-bang-chu/index.md:13: draft: chỉ ghi `true` (bản nháp, chưa đăng) hoặc "
                "`false` (đang là `không`)."
            ),
        ],
    ),
    "ho-so-mau-bang-chu": (
        {"sample": "có"},
        None,
        [
            (
                "exemplars/ho-so-mau-bang-chu/index.md:13: sample: chỉ ghi `true` (hồ sơ mẫu, minh họa) hoặc bỏ "
                "trống (đang là `có`)."
            ),
        ],
    ),
    "duong-dan-cu-khong-phai-danh-sach": (
        {"aliases": "ten-cu"},
        None,
        [
            (
                "exemplars/duong-dan-cu-khong-phai-danh-sach/index.md:13: aliases: cần một danh sách đường dẫn "
                "cũ, ví dụ `[ten-cu]` (đang là `ten-cu`)."
            ),
        ],
    ),
    "duong-dan-cu-co-dau": (
        {"aliases": ["Tên cũ"]},
        None,
        [
            (
                "exemplars/duong-dan-cu-co-dau/index.md:14: aliases.0: `Tên cũ` không phải đường dẫn hợp lệ: chỉ "
                "dùng chữ thường không dấu, số và dấu gạch ngang."
            ),
        ],
    ),
    "truong-la-khong-goi-y": (
        {"ghi_chu": "Hồ sơ do phường gửi."},
        None,
        [
            (
                "exemplars/truong-la-khong-goi-y/index.md:13: ghi_chu: trường `ghi_chu` không có trong mẫu hồ sơ. "
                "Các trường được phép: name, kind, fields, province, locality, organization, plans, awards, "
                "summary, published, updated, photo, sources, consent, public_contacts, corrections, tags, draft, "
                "aliases, sample."
            ),
        ],
    ),
    "cau-chuyen-qua-dai": (
        {"body": "Cô Hương dạy Toán ở trường THCS. " * 12_200},
        None,
        [
            (
                "exemplars/cau-chuyen-qua-dai/index.md:14: câu chuyện dài 402.600 ký tự, tối đa 400.000 (khoảng "
                "60.000 từ). Một câu chuyện dài như vậy không vừa feed của báo chí: hãy rút gọn, hoặc đưa phần tư "
                "liệu lên trang khác rồi dẫn liên kết ở `sources`."
            ),
        ],
    ),
}

RAW_PROFILE = yaml.safe_dump(BASE_PROFILE, allow_unicode=True, sort_keys=False)
RAW_CASES: dict[str, tuple[str, list[str]]] = {
    "thong-tin-dau-tep-la-danh-sach": (
        "---\n- name: Nguyễn Thị Hương\n- kind: ca-nhan\n---\nChuyện.\n",
        [
            (
                "exemplars/thong-tin-dau-tep-la-danh-sach/index.md:1: phần thông tin đầu tệp phải là các dòng "
                "`tên-trường: giá trị`, ví dụ `name: Nguyễn Thị Hương` (đang là một danh sách). Hãy viết theo “Ví "
                "dụ hồ sơ hoàn chỉnh” trong CONTRIBUTING.md."
            ),
        ],
    ),
    "ky-tu-vo-hinh-viet-bang-ma-thoat": (
        "---\n" + RAW_PROFILE.replace("name: Nguyễn Thị Hương", 'name: "Nguyễn Thị\\u202eHương"') + "---\nChuyện.\n",
        [
            (
                "exemplars/ky-tu-vo-hinh-viet-bang-ma-thoat/index.md:2: name: giá trị có ký tự vô hình U+202E làm "
                "đảo thứ tự hiển thị của chữ, viết dưới dạng mã thoát trong ngoặc kép. Hãy xóa mã này hoặc gõ lại "
                "giá trị."
            ),
        ],
    ),
}
"""Profiles written by hand, for what a YAML writer would never produce."""


@pytest.fixture(scope="module")
def profiles_checked(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    site = SiteFixture(tmp_path_factory.mktemp("rules") / "repo")
    site.plan("nam-dinh-2022-2025")
    for slug, (overrides, setup, _) in PROFILE_CASES.items():
        if setup is not None:
            setup(site, slug)
        site.profile(slug, **overrides)
    for slug, (text, _) in RAW_CASES.items():
        site.raw_profile(slug, text)
    return reported(site)


def expected_for_profile(case: str) -> list[str]:
    return PROFILE_CASES[case][2] if case in PROFILE_CASES else RAW_CASES[case][1]


@pytest.mark.parametrize("case", [*PROFILE_CASES, *RAW_CASES])
def test_each_profile_rule_gets_its_exact_message(profiles_checked: list[str], case: str) -> None:
    here = f"exemplars/{case}/index.md:"
    assert [line for line in profiles_checked if line.startswith(here)] == expected_for_profile(case)


def test_no_profile_case_is_reported_elsewhere(profiles_checked: list[str]) -> None:
    expected = [line for case in [*PROFILE_CASES, *RAW_CASES] for line in expected_for_profile(case)]
    assert sorted(profiles_checked) == sorted(expected)


# --- plans: one file per case, a small plan changed in one place -----------------------------------------------


def small_plan(plan_id: str) -> dict[str, Any]:
    """A plan with only its required keys, valid as it is."""
    return {
        "id": plan_id,
        "title": "Kế hoạch xây dựng, nhân rộng điển hình tiên tiến giai đoạn 2023-2025",
        "number": "01/KH-UBND",
        "issuer": "Ủy ban nhân dân tỉnh Nam Định",
        "level": "tinh",
        "locality": "tỉnh Nam Định",
        "province": "nam-dinh",
        "date": "2023-01-05",
        "period": {"start": 2023, "end": 2025},
        "source": "ke-hoach-thu.txt",
        "fields": [{"ref": "1", "wording": "Dạy tốt - Học tốt", "field": "day-tot-hoc-tot"}],
    }


TARGET = {"text": "Mỗi năm biểu dương ít nhất một gương", "min": 1, "per": "year"}
MOVEMENT = {"wording": "Dạy tốt - Học tốt", "field": "day-tot-hoc-tot"}
PLAN_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    "ten-ke-hoach-de-trong": (
        {"title": ""},
        [
            "plans/ten-ke-hoach-de-trong.yml:2: title: cần một đoạn chữ không trống (đang là để trống).",
        ],
    ),
    "so-hieu-la-so": (
        {"number": 12},
        [
            'plans/so-hieu-la-so.yml:3: number: cần một đoạn chữ, có thể để `""` (đang là số `12`).',
        ],
    ),
    "thieu-co-quan-ban-hanh": (
        {"issuer": None},
        [
            (
                "plans/thieu-co-quan-ban-hanh.yml:1: issuer: thiếu trường bắt buộc `issuer`. Hãy thêm trường này "
                "(xem docs/plan-format.md)."
            ),
        ],
    ),
    "truong-go-nham": (
        {"titel": "Kế hoạch"},
        [
            (
                "plans/truong-go-nham.yml:17: titel: trường `titel` không có trong định dạng của tệp "
                "(docs/plan-format.md). Có phải ý bạn là `title`?"
            ),
        ],
    ),
    "truong-la-khong-goi-y": (
        {"ghi_chu": "Bản chụp mờ."},
        [
            (
                "plans/truong-la-khong-goi-y.yml:17: ghi_chu: trường `ghi_chu` không có trong định dạng của tệp "
                "(docs/plan-format.md). Hãy xóa trường này hoặc sửa lại tên."
            ),
        ],
    ),
    "cap-khong-co": (
        {"level": "xa"},
        [
            (
                "plans/cap-khong-co.yml:5: level: giá trị `xa` không hợp lệ; chọn một trong: tinh, huyen, "
                "thanh-pho, so, hoi-dong."
            ),
        ],
    ),
    "tinh-viet-co-dau": (
        {"province": "Nam Định"},
        [
            ("plans/tinh-viet-co-dau.yml:7: province: mã `Nam Định` phải viết thường, không dấu, nối bằng gạch ngang."),
        ],
    ),
    "tinh-khong-co-trong-danh-muc": (
        {"province": "nam-dinhh"},
        [
            (
                "plans/tinh-khong-co-trong-danh-muc.yml:7: province: mã `nam-dinhh` không có trong danh mục "
                "plans/provinces.yml. Có phải ý bạn là `nam-dinh`?"
            ),
        ],
    ),
    "ngay-kieu-viet-nam": (
        {"date": "05/01/2023"},
        [
            (
                "plans/ngay-kieu-viet-nam.yml:8: date: cần ngày dạng `2023`, `2023-05`, `2023-05-30` hoặc quý "
                "`2021-Q2` (đang là `05/01/2023`)."
            ),
        ],
    ),
    "giai-doan-la-mot-so": (
        {"period": 2023},
        [
            "plans/giai-doan-la-mot-so.yml:9: period: cần các dòng `tên-trường: giá trị` (đang là số `2023`).",
        ],
    ),
    "nam-bat-dau-la-chu": (
        {"period": {"start": "2023", "end": 2025}},
        [
            "plans/nam-bat-dau-la-chu.yml:10: period.start: cần một số nguyên (đang là `2023`).",
        ],
    ),
    "giai-doan-nguoc": (
        {"period": {"start": 2025, "end": 2023}},
        [
            (
                "plans/giai-doan-nguoc.yml:9: period: năm bắt đầu 2025 sau năm kết thúc 2023. Sửa lại `start` "
                "hoặc `end`."
            ),
        ],
    ),
    "nam-ngoai-khoang": (
        {"period": {"start": 2023, "end": 20225}},
        [
            "plans/nam-ngoai-khoang.yml:11: period.end: năm 20225 nằm ngoài khoảng 1945–2100. Kiểm tra lại năm.",
        ],
    ),
    "can-cu-khong-phai-danh-sach": (
        {"basis": "Luật Thi đua, khen thưởng năm 2022"},
        [
            (
                "plans/can-cu-khong-phai-danh-sach.yml:17: basis: cần một danh sách, mỗi mục một dòng bắt đầu "
                "bằng `- ` (đang là `Luật Thi đua, khen thưởng năm 2022`)."
            ),
        ],
    ),
    "ma-khac-ten-tep": (
        {"id": "ke-hoach-khac"},
        [
            (
                "plans/ma-khac-ten-tep.yml:1: id: mã kế hoạch `ke-hoach-khac` phải trùng tên tệp "
                "`ma-khac-ten-tep`. Hãy ghi `id: ma-khac-ten-tep`, hoặc đổi tên tệp theo mã."
            ),
        ],
    ),
    "linh-vuc-co-ca-hai": (
        {"fields": [{"ref": "1", "wording": "Dạy tốt", "field": "day-tot-hoc-tot", "movements": [MOVEMENT]}]},
        [
            (
                "plans/linh-vuc-co-ca-hai.yml:14: fields.0: mỗi lĩnh vực cần đúng một trong hai: `field` (một mã) "
                "hoặc `movements` (nhiều phong trào)."
            ),
        ],
    ),
    "linh-vuc-ma-la": (
        {"fields": [{"ref": "1", "wording": "Dạy tốt", "field": "giao-duc"}]},
        [
            ("plans/linh-vuc-ma-la.yml:16: fields.0.field: mã `giao-duc` không có trong danh mục plans/fields.yml."),
        ],
    ),
    "muc-tieu-moi-don-vi-la-chu": (
        {"targets": [{**TARGET, "each": "có"}]},
        [
            "plans/muc-tieu-moi-don-vi-la-chu.yml:21: targets.0.each: cần `true` hoặc `false` (đang là `có`).",
        ],
    ),
    "muc-tieu-toi-da-nho-hon": (
        {"targets": [{**TARGET, "min": 3, "max": 2}]},
        [
            (
                "plans/muc-tieu-toi-da-nho-hon.yml:21: targets.0.max: mức tối đa 2 nhỏ hơn mức tối thiểu 3. Sửa "
                "lại `min` hoặc `max`."
            ),
        ],
    ),
    "moc-chi-co-ket-thuc": (
        {"milestones": [{"until": "2025", "what": "Tổng kết"}]},
        [
            (
                "plans/moc-chi-co-ket-thuc.yml:18: milestones.0.until: mốc có `until` (kết thúc) cần có `when` "
                "(bắt đầu). Mốc văn bản không nêu thời gian thì bỏ cả hai."
            ),
        ],
    ),
    "moc-ket-thuc-som-hon": (
        {"milestones": [{"when": "2023-05-30", "until": "2022", "what": "Sơ kết"}]},
        [
            (
                "plans/moc-ket-thuc-som-hon.yml:19: milestones.0.until: mốc kết thúc `2022` sớm hơn mốc bắt đầu "
                "`2023-05-30`. Sửa lại `when` hoặc `until`."
            ),
        ],
    ),
    "muc-khong-noi-chep-o-dau": (
        {"sections": [{"ref": "I", "heading": "MỤC ĐÍCH, YÊU CẦU"}]},
        [
            (
                "plans/muc-khong-noi-chep-o-dau.yml:18: sections.0: mỗi mục cần `in` (các trường chép mục này), "
                "`text` (các đoạn của mục) hoặc cả hai."
            ),
        ],
    ),
    "ngay-ngung-thieu-ngay": (
        {"ceased": {"date": "2025-07", "note": "Tỉnh hợp nhất."}},
        [
            (
                "plans/ngay-ngung-thieu-ngay.yml:18: ceased.date: ngày cơ quan ban hành không còn cần đủ năm, "
                "tháng, ngày, ví dụ `2025-07-01` (đang là `2025-07`)."
            ),
        ],
    ),
}
RAW_PLAN = yaml.safe_dump(small_plan("ky-tu-vo-hinh-viet-bang-ma-thoat"), allow_unicode=True, sort_keys=False)
RAW_PLAN_CASES: dict[str, tuple[str, list[str]]] = {
    "ky-tu-vo-hinh-viet-bang-ma-thoat": (
        RAW_PLAN.replace("number: 01/KH-UBND", 'number: "01/KH\\u202e-UBND"'),
        [
            (
                "plans/ky-tu-vo-hinh-viet-bang-ma-thoat.yml:3: number: giá trị có ký tự vô hình U+202E làm đảo "
                "thứ tự hiển thị của chữ, viết dưới dạng mã thoát trong ngoặc kép. Hãy xóa mã này hoặc gõ lại giá "
                "trị."
            ),
        ],
    ),
}
"""Plans written by hand, for what a YAML writer would never produce."""


@pytest.fixture(scope="module")
def plans_checked(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    site = SiteFixture(tmp_path_factory.mktemp("plan-rules") / "repo")
    (site.root / "plans" / "sources" / "ke-hoach-thu.txt").write_text("Kế hoạch thử.\n", encoding="utf-8")
    for plan_id, (changes, _) in PLAN_CASES.items():
        plan = {**small_plan(plan_id), **changes}
        plan = {key: value for key, value in plan.items() if value is not None}
        text = yaml.safe_dump(plan, allow_unicode=True, sort_keys=False)
        (site.root / "plans" / f"{plan_id}.yml").write_text(text, encoding="utf-8")
    for plan_id, (text, _) in RAW_PLAN_CASES.items():
        (site.root / "plans" / f"{plan_id}.yml").write_text(text, encoding="utf-8")
    return reported(site)


def expected_for_plan(case: str) -> list[str]:
    return PLAN_CASES[case][1] if case in PLAN_CASES else RAW_PLAN_CASES[case][1]


@pytest.mark.parametrize("case", [*PLAN_CASES, *RAW_PLAN_CASES])
def test_each_plan_rule_gets_its_exact_message(plans_checked: list[str], case: str) -> None:
    assert [line for line in plans_checked if line.startswith(f"plans/{case}.yml:")] == expected_for_plan(case)


def test_no_plan_case_is_reported_elsewhere(plans_checked: list[str]) -> None:
    expected = [line for case in [*PLAN_CASES, *RAW_PLAN_CASES] for line in expected_for_plan(case)]
    assert sorted(plans_checked) == sorted(expected)


# --- taxonomies: a problem there stops the check, so each case is a site of its own ----------------------------

FIELDS = [
    {
        "id": "y-te",
        "name": "Y tế, chăm sóc sức khỏe nhân dân",
        "description": "Thầy thuốc, nhân viên y tế và những người góp sức chăm sóc sức khỏe nhân dân.",
        "aliases": ["Thầy thuốc như mẹ hiền"],
    },
    {
        "id": "giam-ngheo",
        "name": "Giảm nghèo",
        "description": "Vì người nghèo, không để ai bị bỏ lại phía sau.",
        "related": ["Ngày vì người nghèo"],
    },
]
PROVINCES = [
    {"id": "ninh-binh", "name": "Ninh Bình", "type": "tinh", "current": True, "merged_from": ["nam-dinh"]},
    {"id": "nam-dinh", "name": "Nam Định", "type": "tinh", "current": False, "merged_into": "ninh-binh"},
]
TAXONOMY_CASES: dict[str, tuple[Callable[[list[dict], list[dict]], None], list[str]]] = {
    "a field id twice": (
        lambda fields, provinces: fields.append({**fields[0], "aliases": []}),
        [
            (
                "plans/fields.yml:12: 2.id: mã `y-te` đã có ở một mục phía trên. Mỗi mục cần một mã riêng: đổi mã "
                "này, hoặc gộp hai mục."
            ),
        ],
    ),
    "a wording both another name and a separate movement": (
        lambda fields, provinces: fields[1].update(aliases=["Ngày vì người nghèo"]),
        [
            (
                "plans/fields.yml:10: 1.related: “Ngày vì người nghèo” vừa là tên khác (`aliases`) vừa là phong "
                "trào riêng (`related`) của lĩnh vực `giam-ngheo`. Giữ ở một chỗ: tên khác của cùng phong trào "
                "thì để trong `aliases`."
            ),
        ],
    ),
    "a former province merged into nothing": (
        lambda fields, provinces: provinces[1].pop("merged_into"),
        [
            (
                "plans/provinces.yml:7: 1.merged_into: tỉnh cũ `nam-dinh` cần `merged_into` là mã một tỉnh, thành "
                "phố hiện hành."
            ),
        ],
    ),
    "a province type in Vietnamese": (
        lambda fields, provinces: provinces[0].update(type="tỉnh"),
        [
            (
                "plans/provinces.yml:3: 0.type: giá trị `tỉnh` không hợp lệ; chọn một trong: tinh, thanh-pho. Có "
                "phải ý bạn là `tinh`?"
            ),
        ],
    ),
}


@pytest.mark.parametrize("case", TAXONOMY_CASES)
def test_each_taxonomy_rule_gets_its_exact_message(site: SiteFixture, case: str) -> None:
    change, expected = TAXONOMY_CASES[case]
    fields, provinces = [dict(f) for f in FIELDS], [dict(p) for p in PROVINCES]
    change(fields, provinces)
    for name, entries in (("fields.yml", fields), ("provinces.yml", provinces)):
        text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False)
        (site.root / "plans" / name).write_text(text, encoding="utf-8")
    assert reported(site) == expected


def test_a_file_of_the_wrong_shape_says_what_it_should_hold(site: SiteFixture) -> None:
    fields = site.root / "plans" / "fields.yml"
    kept = fields.read_text(encoding="utf-8")
    fields.write_text("y-te: Y tế, chăm sóc sức khỏe nhân dân\n", encoding="utf-8")
    assert reported(site) == [
        "plans/fields.yml:1: tệp cần một danh sách, mỗi mục một dòng bắt đầu bằng `- ` (đang là một nhóm trường)."
    ]
    fields.write_text(kept, encoding="utf-8")
    (site.root / "plans" / "ke-hoach-la-danh-sach.yml").write_text("- id: ke-hoach-la-danh-sach\n", encoding="utf-8")
    assert reported(site) == [
        "plans/ke-hoach-la-danh-sach.yml:1: tệp cần các dòng `tên-trường: giá trị` (đang là một danh sách)."
    ]
