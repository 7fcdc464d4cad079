"""One rule per profile key, the contract with communications staff: each validator carries, in its decorator, the
text the contributor guide, the issue form and the form editor show for that key, so a rule is read in one place.

The order of the rules below is the order of the guide.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..load import find_photo, link_problem
from ..model import KINDS
from ..privacy import contacts_in
from ..text import SLUG_RE, nfc, slugify
from .checks import (
    Context,
    Issue,
    Validator,
    date_issue,
    date_range_issue,
    list_of_text,
    parse_date,
    plain_text,
    suggest,
    type_name,
    unknown_keys,
)

SUMMARY_MAX = 300
NAME_MAX = 150
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
_PHONE_PHOTO_TYPES = (".heic", ".heif", ".avif", ".dng", ".tif", ".tiff", ".bmp", ".gif")
CORRECTION_MAX = 500
LOCALITY_MAX = 200
ORGANIZATION_MAX = 200
PERSONAL_KINDS = ("ca-nhan", "ho-gia-dinh")
"""Kinds whose profiles are personal data: published only with consent."""


@dataclass(frozen=True)
class Key:
    """One front-matter key of a profile: the contract with communications staff."""

    name: str
    required: bool
    rule: str
    """The rule in Vietnamese, as the contributor guide prints it."""
    example: str
    validate: Validator
    label: str = ""
    """Short Vietnamese name of the key, for the guide and the issue form."""
    required_for: tuple[str, ...] = ()
    """Kinds for which an optional key is required (consent for personal data)."""


_RULES: list[Key] = []


def profile_rule(
    name: str, *, required: bool, label: str, rule: str, example: str, required_for: tuple[str, ...] = ()
) -> Callable[[Validator], Validator]:
    """Declare the key `name` with the decorated function as its check: rule text and check side by side."""

    def register(validate: Validator) -> Validator:
        if any(key.name == name for key in _RULES):
            raise ValueError(f"the profile key {name!r} has two rules")
        _RULES.append(Key(name, required, rule, example, validate, label, required_for))
        return validate

    return register


@profile_rule(
    "name",
    required=True,
    label="Tên",
    rule="Tên người, tập thể hoặc hộ gia đình, viết đầy đủ có dấu.",
    example="Nguyễn Thị Hương",
)
def validate_name(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from plain_text(value, "Tên", limit=NAME_MAX)


@profile_rule(
    "kind",
    required=True,
    label="Loại",
    rule="Loại: `ca-nhan` (cá nhân), `tap-the` (tập thể) hoặc `ho-gia-dinh` (hộ gia đình).",
    example="ca-nhan",
)
def validate_kind(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, str) or value not in KINDS:
        choices = ", ".join(f"`{k}` ({label.lower()})" for k, label in KINDS.items())
        # Only a typo or the label itself (`Cá nhân`) is answered: by similarity alone `giao-vien` got `ho-gia-dinh`.
        guess = likely_typo(value, list(KINDS)) if isinstance(value, str) else None
        hint = f" Có phải ý bạn là `{guess}`?" if guess else ""
        yield Issue(f"loại không hợp lệ: {type_name(value)}. Chọn một trong: {choices}.{hint}")


@profile_rule(
    "fields",
    required=True,
    label="Lĩnh vực",
    rule="Một hoặc nhiều mã lĩnh vực trong plans/fields.yml, viết trong ngoặc vuông.",
    example="[day-tot-hoc-tot]",
)
def validate_fields(value: Any, ctx: Context) -> Iterator[Issue]:
    known = list(ctx.vocabulary.fields)
    if isinstance(value, str) and value.strip():
        yield Issue(f"mã lĩnh vực phải đặt trong ngoặc vuông, kể cả khi chỉ có một: `fields: [{value.strip()}]`.")
        return
    if not isinstance(value, list) or not value:
        yield Issue(
            f"cần một danh sách có ít nhất một mã lĩnh vực, ví dụ `[day-tot-hoc-tot]` (đang là {type_name(value)})."
        )
        return
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in ctx.vocabulary.fields:
            by_name = {slugify(f.name): f.id for f in ctx.vocabulary.fields.values()}
            by_name.update({slugify(a): f.id for f in ctx.vocabulary.fields.values() for a in f.aliases})
            wanted = slugify(str(item))
            close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.75)
            guess = by_name.get(wanted) or (by_name[close[0]] if close else None)
            hint = f" Có phải ý bạn là `{guess}`?" if guess else suggest(str(item), known)
            yield Issue(f"mã lĩnh vực `{item}` không có trong danh mục (plans/fields.yml).{hint}", f"fields.{index}")
        elif value.index(item) != index:
            yield Issue(f"lĩnh vực `{item}` bị ghi hai lần. Hãy xóa mục thừa.", f"fields.{index}")


@profile_rule(
    "province",
    required=True,
    label="Tỉnh, thành phố",
    rule="Mã tỉnh, thành phố theo tên tại thời điểm được công nhận (plans/provinces.yml), kể cả tỉnh cũ trước "
    "1/7/2025.",
    example="nam-dinh",
)
def validate_province(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, str) or value not in ctx.vocabulary.provinces:
        by_name = {slugify(p.name): p.id for p in ctx.vocabulary.provinces.values()}
        by_name.update(
            {
                slugify(part): p.id
                for p in ctx.vocabulary.provinces.values()
                for n in p.former_names
                for part in n.split(" - ")
            }
        )
        guess = by_name.get(_without_province_prefix(slugify(str(value)))) or likely_typo(
            str(value), list(ctx.vocabulary.provinces)
        )
        hint = f" Có phải ý bạn là `{guess}`?" if guess else ""
        how = (
            "Mã viết thường, không dấu, nối bằng gạch ngang."
            if hint
            else "Dùng mã không dấu, viết thường, nối bằng gạch ngang, theo tên tại thời điểm được công nhận, "
            "ví dụ `nam-dinh` (danh sách mã trong CONTRIBUTING.md)."
        )
        if not guess and isinstance(value, str) and value != slugify(value):
            how += (
                f" Nếu `{value}` là tên huyện, xã hoặc phường, hãy ghi nó vào trường `locality` "
                "và ghi ở đây mã của tỉnh, thành phố."
            )
        yield Issue(f"mã tỉnh, thành phố `{value}` không có trong danh sách (plans/provinces.yml). {how}{hint}")


def _without_province_prefix(slug: str) -> str:
    """`tinh-lai-chau`, `thanh-pho-ha-noi`, `tp-ho-chi-minh` → the province's own slug."""
    return re.sub(r"^(?:tinh|thanh-pho|tp)-", "", slug)


def likely_typo(value: str, ids: Sequence[str]) -> str | None:
    """The one id that `value` misspells, or None.

    Only a typo is answered: the same syllables, each at most one keystroke away (a letter wrong, missing, extra
    or two swapped), two at most in all, and a single id that close. A place that is not a province ("Than Uyên",
    a district of Lai Châu) is about as close to a wrong province ("thai-nguyen") as a typo is to the right one
    by overall similarity, so similarity alone would answer it with a wrong province; we have no district list
    to map it from, so it gets no suggestion.
    """
    wanted = _without_province_prefix(slugify(value))
    if not wanted:
        return None
    compact = {candidate.replace("-", ""): candidate for candidate in ids}
    if wanted.replace("-", "") in compact:  # "daklak", "ho-chi-minh" written with other hyphens
        return compact[wanted.replace("-", "")]
    syllables = wanted.split("-")
    close = []
    for candidate in ids:
        parts = candidate.split("-")
        if len(parts) != len(syllables):
            continue
        distances = [_keystrokes(a, b) for a, b in zip(syllables, parts, strict=True)]
        if max(distances) <= 1 and sum(distances) <= 2:
            close.append(candidate)
    return close[0] if len(close) == 1 else None


def _keystrokes(a: str, b: str) -> int:
    """Edit distance counting a swap of two neighbouring letters as one (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, start=1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


@profile_rule(
    "locality",
    required=False,
    label="Địa bàn",
    rule="Địa bàn cụ thể (xã, phường, huyện…), viết tự do.",
    example="Phường Lộc Hạ, TP. Nam Định",
)
def validate_locality(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from plain_text(value, "Địa bàn (locality)", limit=LOCALITY_MAX)


@profile_rule(
    "organization",
    required=False,
    label="Cơ quan, đơn vị",
    rule="Cơ quan, đơn vị công tác.",
    example="Trường THCS Trần Đăng Ninh",
)
def validate_organization(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from plain_text(value, "Cơ quan, đơn vị (organization)", limit=ORGANIZATION_MAX)


@profile_rule(
    "plans",
    required=False,
    label="Kế hoạch",
    rule="Mã các kế hoạch mà gương được công nhận theo (plans/*.yml).",
    example="[nam-dinh-2022-2025]",
)
def validate_plans(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(f"cần một danh sách mã kế hoạch, ví dụ `[nam-dinh-2022-2025]` (đang là {type_name(value)}).")
        return
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in ctx.vocabulary.plans:
            yield Issue(
                f"mã kế hoạch `{item}` không có trong thư mục plans/.{suggest(str(item), list(ctx.vocabulary.plans))}",
                f"plans.{index}",
            )


@profile_rule(
    "awards",
    required=False,
    label="Khen thưởng",
    rule="Danh sách khen thưởng: `title` (tên), `decision` (số quyết định), `date` (NĂM-THÁNG-NGÀY). Hồ sơ gương thật "
    "cần ít nhất một khen thưởng có số quyết định hoặc một bài báo trong `sources`, để bạn đọc kiểm chứng.",
    example="- {title: Bằng khen của Chủ tịch UBND tỉnh, decision: Quyết định số 1234/QĐ-UBND, date: 2023-05-12}",
)
def validate_awards(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue("cần một danh sách; mỗi khen thưởng bắt đầu bằng `- title: …` và có thể có `decision:` và `date:`.")
        return
    for index, award in enumerate(value):
        key = f"awards.{index}"
        if not isinstance(award, dict):
            yield Issue("mỗi khen thưởng cần các trường `title`, `decision` (số quyết định), `date`.", key)
            continue
        yield from unknown_keys(award, ("title", "decision", "date"), key)
        yield from plain_text(award.get("title"), "Tên khen thưởng (title)", f"{key}.title", 300)
        if "decision" in award:
            yield from plain_text(award["decision"], "Số quyết định (decision)", f"{key}.decision", 200)
        if "date" in award:
            yield from date_issue(award["date"], f"{key}.date")
            yield from date_range_issue(award["date"], ctx, f"{key}.date")


@profile_rule(
    "summary",
    required=True,
    label="Tóm tắt",
    rule=f"Một đến ba câu giới thiệu, tối đa {SUMMARY_MAX} ký tự; dùng cho thẻ, kết quả tìm kiếm và feed.",
    example="Cô giáo 20 năm gắn bó với học sinh vùng ven.",
)
def validate_summary(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from plain_text(value, "Phần tóm tắt", limit=SUMMARY_MAX)


@profile_rule(
    "published",
    required=True,
    label="Ngày đăng",
    rule="Ngày đăng bài (NĂM-THÁNG-NGÀY). Đã đăng thì không sửa ngày này (mã của câu chuyện trong feed dựa vào nó); "
    "ngày sửa bài ghi vào `updated`.",
    example="2023-06-01",
)
def validate_published(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from date_issue(value)
    yield from date_range_issue(value, ctx)


@profile_rule(
    "updated",
    required=False,
    label="Ngày cập nhật",
    rule="Ngày cập nhật gần nhất (NĂM-THÁNG-NGÀY), không sớm hơn ngày đăng.",
    example="2023-07-10",
)
def validate_updated(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from date_issue(value)
    yield from date_range_issue(value, ctx)
    updated, published = parse_date(value), parse_date(ctx.data.get("published"))
    if updated and published and updated < published:
        yield Issue(f"ngày cập nhật {updated} sớm hơn ngày đăng {published}. Kiểm tra lại.")


@profile_rule(
    "photo",
    required=False,
    label="Ảnh",
    rule="Ảnh đặt cùng thư mục: `src` (tên tệp), `alt` (mô tả ảnh) và `credit` (nguồn ảnh) đều bắt buộc.",
    example="{src: chan-dung.jpg, alt: Cô Hương trên lớp, credit: Báo Nam Định}",
)
def validate_photo(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, dict):
        yield Issue("cần ba trường: `{src: ten-anh.jpg, alt: Mô tả ảnh, credit: Tác giả hoặc nguồn ảnh}`.")
        return
    yield from unknown_keys(value, ("src", "alt", "credit"), "photo")
    src = value.get("src")
    if not isinstance(src, str) or not src.strip():
        yield Issue("thiếu tên tệp ảnh (src), ví dụ `chan-dung.jpg`, đặt cùng thư mục với index.md.", "photo.src")
    elif "/" in src or "\\" in src or src.startswith("."):
        yield Issue(
            f"`{src}` là một đường dẫn. Hãy tải ảnh lên cùng thư mục với index.md và chỉ ghi tên tệp, "
            "ví dụ `src: chan-dung.jpg`.",
            "photo.src",
        )
    elif src.lower().endswith(_PHONE_PHOTO_TYPES):
        kind = src.rsplit(".", 1)[1].upper()
        yield Issue(
            f"ảnh `{src}` ở định dạng {kind}, trình duyệt không hiển thị được. Hãy chuyển ảnh sang JPEG (trên iPhone: "
            "Cài đặt → Camera → Định dạng → Tương thích nhất), tải lên cùng thư mục rồi sửa tên tệp ở đây.",
            "photo.src",
        )
    elif not src.lower().endswith(PHOTO_TYPES):
        yield Issue(f"`{src}` không phải tên tệp ảnh: chỉ dùng ảnh `.jpg`, `.jpeg`, `.png` hoặc `.webp`.", "photo.src")
    elif (linked := link_problem(ctx.folder / src, ctx.folder)) is not None:
        yield Issue(linked, "photo.src")
    elif (found := find_photo(ctx.folder, src)) is None:
        others = sorted(nfc(p.name) for p in ctx.folder.iterdir() if p.suffix.lower() in PHOTO_TYPES)
        same = [name for name in others if name.lower() == src.lower()]
        if same:
            hint = f" Trong thư mục có `{same[0]}`: tên tệp phân biệt chữ hoa, chữ thường, hãy ghi `src: {same[0]}`."
        elif others:
            hint = f" Các ảnh có trong thư mục: {', '.join(others)}."
        else:
            hint = " Hãy tải ảnh lên cùng thư mục."
        yield Issue(f"không tìm thấy tệp ảnh `{src}` trong thư mục của hồ sơ.{hint}", "photo.src")
    elif (linked := link_problem(found, ctx.folder)) is not None:  # the same name, decomposed, may be a link
        yield Issue(linked, "photo.src")
    else:
        yield from _image_issue(found)
    if "alt" not in value:
        yield Issue("ảnh cần mô tả (alt) cho người khiếm thị, ví dụ `alt: Cô Hương trên lớp`.", "photo.alt")
    else:
        yield from plain_text(value["alt"], "Mô tả ảnh (alt)", "photo.alt", 250)
    if "credit" not in value:
        yield Issue("ảnh cần ghi nguồn (credit): tác giả hoặc cơ quan giữ bản quyền ảnh.", "photo.credit")
    else:
        yield from plain_text(value["credit"], "Nguồn ảnh (credit)", "photo.credit", 200)


MAX_PIXELS = 50_000_000
"""What the message promises ("dưới 50 triệu điểm ảnh"): a 144-megapixel PNG of 420 KB took 1.7 GB to decode."""


def _image_issue(path: Path) -> Iterator[Issue]:
    """The photo is read to its last byte here, as the build will read it: a truncated upload or an image too large
    to decode is named with its profile and line now, not found by the build later."""
    from PIL import Image, UnidentifiedImageError

    too_large = Issue(
        f"ảnh `{path.name}` có kích thước điểm ảnh quá lớn để xử lý. Hãy dùng ảnh gốc từ điện thoại hoặc máy ảnh "
        f"(dưới {MAX_PIXELS // 1_000_000} triệu điểm ảnh).",
        "photo.src",
    )
    try:
        with Image.open(path) as image:
            if image.width * image.height > MAX_PIXELS:
                yield too_large
                return
            if image.format == "JPEG":
                # Every byte is still read and entropy-decoded at 1/8 scale: a truncated file fails, 8× faster.
                image.draft("RGB", (max(1, image.width // 8), max(1, image.height // 8)))
            image.load()
    except Image.DecompressionBombError:
        yield too_large
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, MemoryError, Image.DecompressionBombWarning):
        yield Issue(
            f"tệp `{path.name}` không phải là ảnh hoặc đã bị hỏng khi tải lên. Hãy tải lại ảnh gốc (JPEG hoặc PNG).",
            "photo.src",
        )


@profile_rule(
    "sources",
    required=False,
    label="Báo chí đã đưa tin",
    rule="Các bài báo đã đưa tin: `title` và `url` (https://…). Hồ sơ gương thật không có khen thưởng kèm số quyết "
    "định thì cần ít nhất một bài báo.",
    example='- {title: "Cô giáo của học trò nghèo", url: "https://baonamdinh.vn/co-giao-cua-hoc-tro-ngheo"}',
)
def validate_sources(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue('cần một danh sách; mỗi nguồn có dạng `- {title: "Tên bài", url: "https://…"}`.')
        return
    for index, item in enumerate(value):
        key = f"sources.{index}"
        if not isinstance(item, dict):
            yield Issue("mỗi nguồn cần `title` (tên bài báo) và `url` (địa chỉ https://…).", key)
            continue
        yield from unknown_keys(item, ("title", "url"), key)
        yield from plain_text(item.get("title"), "Tên bài (title)", f"{key}.title", 300)
        if (problem := _source_url_problem(item.get("url"))) is not None:
            yield Issue(problem, f"{key}.url")


_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _source_url_problem(url: Any) -> str | None:
    """A press link readers can follow safely: https, a real domain name, no spaces, no login in it."""
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        return f"địa chỉ {type_name(url)} không hợp lệ; cần một địa chỉ đầy đủ bắt đầu bằng https://."
    parts = urlsplit(url)
    if parts.scheme != "https":
        return (
            f"địa chỉ `{url}` dùng http://, không an toàn cho người đọc. Hãy mở bài báo trong trình duyệt và chép "
            "địa chỉ bắt đầu bằng https://."
        )
    if parts.username or parts.password:
        return f"địa chỉ `{url}` chứa tên đăng nhập hoặc mật khẩu. Hãy chép địa chỉ công khai của bài báo."
    try:
        labels = (parts.hostname or "").encode("idna").decode("ascii").split(".")
    except UnicodeError:
        labels = []
    if len(labels) < 2 or labels[-1].isdigit() or not all(_DOMAIN_LABEL.match(label) for label in labels):
        return (
            f"tên miền `{parts.hostname}` trong địa chỉ không hợp lệ. Hãy chép lại địa chỉ từ thanh địa chỉ của "
            "trình duyệt."
        )
    return None


def validate_verifiable(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """The rule the texts of `awards` and `sources` state: a published real profile gives readers a way to check it,
    at least one award with its decision number, or one press source. Drafts are not published yet; samples say they
    are invented. A mistake in `awards` or `sources` themselves is reported by their own rule, not twice."""
    if data.get("draft") is True or data.get("sample") is True:
        return
    awards, sources = data.get("awards", []), data.get("sources", [])
    if not isinstance(awards, list) or not isinstance(sources, list) or sources:
        return
    if any(isinstance(a, dict) and isinstance(a.get("decision"), str) and a["decision"].strip() for a in awards):
        return
    if awards:
        yield (
            "awards",
            "khen thưởng chưa ghi số quyết định và hồ sơ chưa có bài báo đã đưa tin, nên bạn đọc không kiểm chứng "
            "được. Hãy ghi số quyết định vào khen thưởng, ví dụ `decision: Quyết định số 1234/QĐ-UBND`, hoặc thêm "
            'bài báo vào `sources`, ví dụ `sources: [{title: "Tên bài", url: "https://…"}]`.',
        )
    else:
        yield (
            "awards",
            "hồ sơ chưa có căn cứ để bạn đọc kiểm chứng: cần ít nhất một khen thưởng có số quyết định hoặc một bài "
            "báo đã đưa tin. Hãy thêm khen thưởng, ví dụ `awards: [{title: Bằng khen của Chủ tịch UBND tỉnh, "
            'decision: Quyết định số 1234/QĐ-UBND, date: 2023-05-12}]`, hoặc bài báo, ví dụ `sources: [{title: "Tên '
            'bài", url: "https://…"}]`.',
        )


@profile_rule(
    "consent",
    required=False,
    label="Sự đồng ý",
    required_for=PERSONAL_KINDS,
    rule="Bắt buộc `true` với cá nhân và hộ gia đình: người được nêu gương đã đồng ý (bằng văn bản) cho đăng.",
    example="true",
)
def validate_consent(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, bool):
        yield Issue(f"chỉ ghi `true` (đã có sự đồng ý) hoặc `false` (đang là {type_name(value)}).")
    elif value is not True and ctx.data.get("kind") in PERSONAL_KINDS:
        yield Issue(
            "hồ sơ cá nhân và hộ gia đình là dữ liệu cá nhân: chỉ đăng khi đã có sự đồng ý của người được nêu gương. "
            "Sau khi có đồng ý (bằng văn bản), ghi `consent: true`."
        )


@profile_rule(
    "public_contacts",
    required=False,
    label="Liên hệ công khai",
    rule="Số đường dây nóng, điện thoại hoặc thư điện tử công khai của cơ quan, đơn vị, được phép hiện trên trang "
    "(mọi số điện thoại, thư điện tử khác trong hồ sơ đều bị từ chối).",
    example='["Đường dây nóng UBND phường Lộc Hạ: 0228 3812 345"]',
)
def validate_public_contacts(value: Any, ctx: Context) -> Iterator[Issue]:
    """The visible exception to the privacy rule: an agency's published hotline or address, shown on the page."""
    if not isinstance(value, list):
        yield Issue(
            f'cần một danh sách, ví dụ `["Đường dây nóng UBND xã: 0228 3812 345"]` (đang là {type_name(value)}).'
        )
        return
    for index, item in enumerate(value):
        key = f"public_contacts.{index}"
        issues = list(plain_text(item, f"mục {index + 1} của public_contacts", key, 200))
        yield from issues
        if not issues and not contacts_in(item):
            yield Issue(
                f"`{item}` không có số điện thoại hay địa chỉ thư điện tử nào. Chỉ ghi ở đây số đường dây nóng, "
                "điện thoại hoặc thư điện tử công khai của cơ quan, đơn vị.",
                key,
            )


@profile_rule(
    "corrections",
    required=False,
    label="Đính chính",
    rule=f"Đính chính sau khi đăng: `date` (NĂM-THÁNG-NGÀY) và `text` (tối đa {CORRECTION_MAX} ký tự); "
    "hiện trong khung “Đính chính” trên trang.",
    example='- {date: 2024-03-01, text: "Đính chính: năm nhận Bằng khen là 2023, không phải 2022."}',
)
def validate_corrections(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(
            'cần một danh sách; mỗi đính chính có dạng `- {date: 2024-03-01, text: "Đính chính: …"}` '
            f"(đang là {type_name(value)})."
        )
        return
    published = parse_date(ctx.data.get("published"))
    for index, item in enumerate(value):
        key = f"corrections.{index}"
        if not isinstance(item, dict):
            yield Issue("mỗi đính chính cần `date` (ngày đính chính) và `text` (nội dung), trong ngoặc `{…}`.", key)
            continue
        yield from unknown_keys(item, ("date", "text"), key)
        if "date" not in item:
            yield Issue("đính chính cần ngày (`date: NĂM-THÁNG-NGÀY`) để bạn đọc biết sửa khi nào.", f"{key}.date")
        else:
            yield from date_issue(item["date"], f"{key}.date")
            yield from date_range_issue(item["date"], ctx, f"{key}.date")
            date = parse_date(item["date"])
            if date and published and date < published:
                yield Issue(f"ngày đính chính {date} sớm hơn ngày đăng {published}. Kiểm tra lại.", f"{key}.date")
        yield from plain_text(item.get("text"), "Nội dung đính chính (text)", f"{key}.text", CORRECTION_MAX)


@profile_rule(
    "tags",
    required=False,
    label="Từ khóa",
    rule="Từ khóa tự do.",
    example="[giáo dục]",
)
def validate_tags(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from list_of_text(value, "Từ khóa (tags)", "tags")


@profile_rule(
    "draft",
    required=False,
    label="Bản nháp",
    rule="`true` nếu là bản nháp: chỉ hiện khi xem trước, không đăng.",
    example="false",
)
def validate_draft(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, bool):
        yield Issue(f"chỉ ghi `true` (bản nháp, chưa đăng) hoặc `false` (đang là {type_name(value)}).")


@profile_rule(
    "aliases",
    required=False,
    label="Đường dẫn cũ",
    rule="Các đường dẫn cũ của hồ sơ (khi đổi tên thư mục), để liên kết cũ vẫn dùng được. Thêm đường dẫn cũ vào "
    "cuối danh sách và không xóa: đường dẫn đầu tiên giữ mã cố định của câu chuyện trong feed.",
    example="[ten-cu]",
)
def validate_aliases(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(f"cần một danh sách đường dẫn cũ, ví dụ `[ten-cu]` (đang là {type_name(value)}).")
        return
    for index, item in enumerate(value):
        if not isinstance(item, str) or not SLUG_RE.match(item):
            yield Issue(
                f"`{item}` không phải đường dẫn hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang.",
                f"aliases.{index}",
            )
        elif item == ctx.folder.name:
            yield Issue(
                f"`{item}` là đường dẫn hiện nay của chính hồ sơ này (tên thư mục), không phải đường dẫn cũ: trang "
                "sẽ bị thay bằng một trang chuyển hướng về chính nó. Hãy xóa mục này khỏi aliases.",
                f"aliases.{index}",
            )


@profile_rule(
    "sample",
    required=False,
    label="Hồ sơ mẫu",
    rule="`true` chỉ với hồ sơ mẫu, minh họa (không phải gương có thật): được ghi rõ là dữ liệu mẫu ở mọi nơi hồ sơ "
    "xuất hiện (trang, thẻ, tìm kiếm, feed, dữ liệu mở) và không bao giờ được tính vào kết quả của kế hoạch hay "
    "thống kê. Hồ sơ thật không ghi khóa này.",
    example="false",
)
def validate_sample(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, bool):
        yield Issue(f"chỉ ghi `true` (hồ sơ mẫu, minh họa) hoặc bỏ trống (đang là {type_name(value)}).")


PROFILE_KEYS: tuple[Key, ...] = tuple(_RULES)
PROFILE_KEY_NAMES: tuple[str, ...] = tuple(key.name for key in PROFILE_KEYS)


def profile_key(name: str) -> Key:
    """The declared rule of one key (`consent`: which kinds require it)."""
    return next(key for key in PROFILE_KEYS if key.name == name)
