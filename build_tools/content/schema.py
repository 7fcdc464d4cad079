"""The vocabulary and the rules: every key of a profile has one validator whose `rule` is what contributors read.

Validators yield problems and never raise, so `exemplars check` can report every mistake in one run.
Plans and taxonomies are checked against a small declarative shape (`Shape`), since maintainers, not
communications officers, edit them.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .load import Source, find_photo, link_problem
from .model import (
    KINDS,
    PLAN_LEVELS,
    Award,
    Ceased,
    Correction,
    CriteriaGroup,
    Duty,
    Exemplar,
    Field,
    Link,
    Milestone,
    Movement,
    Omission,
    Photo,
    Plan,
    PlanField,
    Province,
    Section,
    Signer,
    Target,
    period_end,
    period_start,
)
from .privacy import (
    EMAIL,
    Finding,
    contacts_in,
    find_personal_data,
    may_contain_personal_data,
    normalise,
    visible_text,
)
from .problems import Problem
from .richtext import render_story
from .text import INVISIBLE, SLUG_RE, describe_invisible, nfc, slugify

SUMMARY_MAX = 300
NAME_MAX = 150
PHOTO_TYPES = (".jpg", ".jpeg", ".png", ".webp")
_PHONE_PHOTO_TYPES = (".heic", ".heif", ".avif", ".dng", ".tif", ".tiff", ".bmp", ".gif")
CORRECTION_MAX = 500
STORY_MAX = 400_000
"""Characters of a story (about 60,000 words): a 25 MB story emptied its field and province feeds; one of this size
still fits in a feed (feeds.MAX_FEED_BYTES, 2 MB) with room for others."""
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VN_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_PARTIAL_DATE = re.compile(r"^\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2})?|-Q[1-4])?$")
_MARKUP = re.compile(r"[<>]")


@dataclass(frozen=True)
class Vocabulary:
    """The ids a profile may refer to, known before any profile is read."""

    fields: Mapping[str, Field]
    provinces: Mapping[str, Province]
    plans: Sequence[str]
    content_date: dt.date | None = None
    """`content_date` from mkdocs.yml: no story may be dated much after it (nor after today)."""


@dataclass(frozen=True)
class Issue:
    """A problem found inside one value; `key` narrows it (`photo.alt`)."""

    message: str
    key: str | None = None


@dataclass(frozen=True)
class Context:
    vocabulary: Vocabulary
    folder: Path
    data: Mapping[str, Any]


Validator = Callable[[Any, Context], Iterator[Issue]]


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


# --- small helpers -----------------------------------------------------------------------------------------


def _suggest(value: str, choices: Sequence[str]) -> str:
    """ " Có phải ý bạn là `x`?" when a close id exists; matches on the folded slug too (Nam Định → nam-dinh)."""
    wanted = slugify(value) if isinstance(value, str) else ""
    if wanted in choices:
        return f" Có phải ý bạn là `{wanted}`?"
    close = difflib.get_close_matches(wanted or str(value), choices, n=1, cutoff=0.6)
    return f" Có phải ý bạn là `{close[0]}`?" if close else ""


def _type_name(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return "để trống"
    if isinstance(value, bool):
        return f"giá trị đúng/sai `{str(value).lower()}`"
    if isinstance(value, list):
        return "một danh sách"
    if isinstance(value, dict):
        return "một nhóm trường"
    if isinstance(value, int | float):
        return f"số `{value}`"
    return f"`{value}`"


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _date_issue(value: Any, key: str | None = None) -> Iterator[Issue]:
    if parse_date(value) is not None:
        return
    hint = "Ngày phải viết theo dạng NĂM-THÁNG-NGÀY, ví dụ 2023-05-12."
    if isinstance(value, str) and (m := _VN_DATE.match(value.strip())):
        day, month, year = (int(g) for g in m.groups())
        hint = f"Hãy viết `{year:04d}-{month:02d}-{day:02d}` (NĂM-THÁNG-NGÀY) thay cho `{value}`."
    elif isinstance(value, str) and _ISO_DATE.match(value):
        yield Issue(f"ngày `{value}` không có thật trên lịch. Kiểm tra lại ngày và tháng.", key)
        return
    yield Issue(f"ngày không hợp lệ: {_type_name(value)}. {hint}", key)


EARLIEST_YEAR = 1900
DATE_MARGIN = dt.timedelta(days=7)
"""How far past the content date (or today, whichever is later) a date may be: a story prepared for next week."""
PLAN_YEARS = range(1945, 2101)
"""Years a plan's period, date and milestones may name: a typo (`20225`, `10000`) is caught with its line."""


def latest_date(vocabulary: Vocabulary) -> dt.date:
    """The last day a story, an update, an award or a correction may carry.

    A typo such as 2204 for 2024 used to move the whole site's "as of" date, or crash the build past 2106 (what a
    timestamp in a sitemap's gzip header can hold). Only the check reads the clock; what a build writes never does.
    """
    today = dt.datetime.now(dt.UTC).date()
    return max(today, vocabulary.content_date or today) + DATE_MARGIN


def _date_range_issue(value: Any, ctx: Context, key: str | None = None) -> Iterator[Issue]:
    date = parse_date(value)
    if date is None:
        return
    if date.year < EARLIEST_YEAR:
        yield Issue(f"ngày `{value}` trước năm {EARLIEST_YEAR}. Kiểm tra lại năm.", key)
    elif date > latest_date(ctx.vocabulary):
        yield Issue(
            f"ngày `{value}` ở tương lai, sau ngày chốt số liệu (content_date trong mkdocs.yml) và sau hôm nay. "
            "Kiểm tra lại năm; nếu đúng là ngày sắp tới, hãy đợi đến gần ngày đó rồi mới thêm.",
            key,
        )


def _plain_text(value: Any, what: str, key: str | None = None, limit: int | None = None) -> Iterator[Issue]:
    if value is None or (isinstance(value, str) and not value.strip()):
        yield Issue(f"{what} đang để trống. Hãy điền vào (một đoạn chữ).", key)
        return
    if not isinstance(value, str):
        yield Issue(f"{what} phải là một đoạn chữ (đang là {_type_name(value)}).", key)
        return
    if _MARKUP.search(value):
        yield Issue(f"{what} không được chứa ký tự `<` hoặc `>` (mã HTML). Hãy chỉ viết chữ.", key)
    if limit is not None and len(value) > limit:
        yield Issue(f"{what} dài {len(value)} ký tự, tối đa {limit}. Hãy rút gọn.", key)


def _list_of_text(value: Any, what: str, key: str) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(f"{what} phải là một danh sách, ví dụ `[giáo dục, tình nguyện]` (đang là {_type_name(value)}).")
        return
    for index, item in enumerate(value):
        yield from _plain_text(item, f"mục {index + 1} của {what}", f"{key}.{index}")


def _check_keys(value: Mapping[str, Any], allowed: Sequence[str], prefix: str) -> Iterator[Issue]:
    for name in value:
        if name not in allowed:
            hint = _suggest(str(name), list(allowed)) or f" Các trường được phép: {', '.join(allowed)}."
            yield Issue(f"trường `{name}` không có trong mẫu hồ sơ.{hint}", f"{prefix}.{name}")


# --- one validator per key ---------------------------------------------------------------------------------


def validate_name(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from _plain_text(value, "Tên", limit=NAME_MAX)


def validate_kind(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, str) or value not in KINDS:
        choices = ", ".join(f"`{k}` ({label.lower()})" for k, label in KINDS.items())
        found = _type_name(value)
        yield Issue(f"loại không hợp lệ: {found}. Chọn một trong: {choices}.{_suggest(str(value), list(KINDS))}")


def validate_fields(value: Any, ctx: Context) -> Iterator[Issue]:
    known = list(ctx.vocabulary.fields)
    if isinstance(value, str) and value.strip():
        yield Issue(f"mã lĩnh vực phải đặt trong ngoặc vuông, kể cả khi chỉ có một: `fields: [{value.strip()}]`.")
        return
    if not isinstance(value, list) or not value:
        yield Issue(
            f"cần một danh sách có ít nhất một mã lĩnh vực, ví dụ `[day-tot-hoc-tot]` (đang là {_type_name(value)})."
        )
        return
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in ctx.vocabulary.fields:
            by_name = {slugify(f.name): f.id for f in ctx.vocabulary.fields.values()}
            by_name.update({slugify(a): f.id for f in ctx.vocabulary.fields.values() for a in f.aliases})
            wanted = slugify(str(item))
            close = difflib.get_close_matches(wanted, list(by_name), n=1, cutoff=0.75)
            guess = by_name.get(wanted) or (by_name[close[0]] if close else None)
            hint = f" Có phải ý bạn là `{guess}`?" if guess else _suggest(str(item), known)
            yield Issue(f"mã lĩnh vực `{item}` không có trong danh mục (plans/fields.yml).{hint}", f"fields.{index}")
        elif value.index(item) != index:
            yield Issue(f"lĩnh vực `{item}` bị ghi hai lần.", f"fields.{index}")


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


def validate_optional_text(what: str, limit: int) -> Validator:
    def validate(value: Any, ctx: Context) -> Iterator[Issue]:
        yield from _plain_text(value, what, limit=limit)

    return validate


def validate_plans(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(f"cần một danh sách mã kế hoạch, ví dụ `[nam-dinh-2022-2025]` (đang là {_type_name(value)}).")
        return
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in ctx.vocabulary.plans:
            yield Issue(
                f"mã kế hoạch `{item}` không có trong thư mục plans/.{_suggest(str(item), list(ctx.vocabulary.plans))}",
                f"plans.{index}",
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
        yield from _check_keys(award, ("title", "decision", "date"), key)
        yield from _plain_text(award.get("title"), "Tên khen thưởng (title)", f"{key}.title", 300)
        if "decision" in award:
            yield from _plain_text(award["decision"], "Số quyết định (decision)", f"{key}.decision", 200)
        if "date" in award:
            yield from _date_issue(award["date"], f"{key}.date")
            yield from _date_range_issue(award["date"], ctx, f"{key}.date")


def validate_summary(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from _plain_text(value, "Phần tóm tắt", limit=SUMMARY_MAX)


def validate_published(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from _date_issue(value)
    yield from _date_range_issue(value, ctx)


def validate_updated(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from _date_issue(value)
    yield from _date_range_issue(value, ctx)
    updated, published = parse_date(value), parse_date(ctx.data.get("published"))
    if updated and published and updated < published:
        yield Issue(f"ngày cập nhật {updated} sớm hơn ngày đăng {published}. Kiểm tra lại.")


def validate_photo(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, dict):
        yield Issue("cần ba trường: `{src: ten-anh.jpg, alt: Mô tả ảnh, credit: Tác giả hoặc nguồn ảnh}`.")
        return
    yield from _check_keys(value, ("src", "alt", "credit"), "photo")
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
        yield from _plain_text(value["alt"], "Mô tả ảnh (alt)", "photo.alt", 250)
    if "credit" not in value:
        yield Issue("ảnh cần ghi nguồn (credit): tác giả hoặc cơ quan giữ bản quyền ảnh.", "photo.credit")
    else:
        yield from _plain_text(value["credit"], "Nguồn ảnh (credit)", "photo.credit", 200)


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


def validate_sources(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue('cần một danh sách; mỗi nguồn có dạng `- {title: "Tên bài", url: "https://…"}`.')
        return
    for index, item in enumerate(value):
        key = f"sources.{index}"
        if not isinstance(item, dict):
            yield Issue("mỗi nguồn cần `title` (tên bài báo) và `url` (địa chỉ https://…).", key)
            continue
        yield from _check_keys(item, ("title", "url"), key)
        yield from _plain_text(item.get("title"), "Tên bài (title)", f"{key}.title", 300)
        if (problem := _source_url_problem(item.get("url"))) is not None:
            yield Issue(problem, f"{key}.url")


_DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def _source_url_problem(url: Any) -> str | None:
    """A press link readers can follow safely: https, a real domain name, no spaces, no login in it."""
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+\.[^\s]+$", url):
        return f"địa chỉ {_type_name(url)} không hợp lệ; cần một địa chỉ đầy đủ bắt đầu bằng https://."
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


def validate_consent(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, bool):
        yield Issue(f"chỉ ghi `true` (đã có sự đồng ý) hoặc `false` (đang là {_type_name(value)}).")
    elif value is not True and ctx.data.get("kind") in ("ca-nhan", "ho-gia-dinh"):
        yield Issue(_CONSENT_MESSAGE)


_CONSENT_MESSAGE = (
    "hồ sơ cá nhân và hộ gia đình là dữ liệu cá nhân: chỉ đăng khi đã có sự đồng ý của người được nêu gương. "
    "Sau khi có đồng ý (bằng văn bản), ghi `consent: true`."
)


def validate_tags(value: Any, ctx: Context) -> Iterator[Issue]:
    yield from _list_of_text(value, "Từ khóa (tags)", "tags")


def validate_draft(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, bool):
        yield Issue(f"chỉ ghi `true` (bản nháp, chưa đăng) hoặc `false` (đang là {_type_name(value)}).")


def validate_sample(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, bool):
        yield Issue(f"chỉ ghi `true` (hồ sơ mẫu, minh họa) hoặc bỏ trống (đang là {_type_name(value)}).")


def validate_aliases(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(f"cần một danh sách đường dẫn cũ, ví dụ `[ten-cu]` (đang là {_type_name(value)}).")
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


def validate_public_contacts(value: Any, ctx: Context) -> Iterator[Issue]:
    """The visible exception to the privacy rule: an agency's published hotline or address, shown on the page."""
    if not isinstance(value, list):
        yield Issue(
            f'cần một danh sách, ví dụ `["Đường dây nóng UBND xã: 0228 3812 345"]` (đang là {_type_name(value)}).'
        )
        return
    for index, item in enumerate(value):
        key = f"public_contacts.{index}"
        issues = list(_plain_text(item, f"mục {index + 1} của public_contacts", key, 200))
        yield from issues
        if not issues and not contacts_in(item):
            yield Issue(
                f"`{item}` không có số điện thoại hay địa chỉ thư điện tử nào. Chỉ ghi ở đây số đường dây nóng, "
                "điện thoại hoặc thư điện tử công khai của cơ quan, đơn vị.",
                key,
            )


def validate_corrections(value: Any, ctx: Context) -> Iterator[Issue]:
    if not isinstance(value, list):
        yield Issue(
            'cần một danh sách; mỗi đính chính có dạng `- {date: 2024-03-01, text: "Đính chính: …"}` '
            f"(đang là {_type_name(value)})."
        )
        return
    published = parse_date(ctx.data.get("published"))
    for index, item in enumerate(value):
        key = f"corrections.{index}"
        if not isinstance(item, dict):
            yield Issue("mỗi đính chính cần `date` (ngày đính chính) và `text` (nội dung), trong ngoặc `{…}`.", key)
            continue
        yield from _check_keys(item, ("date", "text"), key)
        if "date" not in item:
            yield Issue("đính chính cần ngày (`date: NĂM-THÁNG-NGÀY`) để bạn đọc biết sửa khi nào.", f"{key}.date")
        else:
            yield from _date_issue(item["date"], f"{key}.date")
            yield from _date_range_issue(item["date"], ctx, f"{key}.date")
            date = parse_date(item["date"])
            if date and published and date < published:
                yield Issue(f"ngày đính chính {date} sớm hơn ngày đăng {published}. Kiểm tra lại.", f"{key}.date")
        yield from _plain_text(item.get("text"), "Nội dung đính chính (text)", f"{key}.text", CORRECTION_MAX)


PROFILE_KEYS: tuple[Key, ...] = (
    Key(
        "name",
        True,
        "Tên người, tập thể hoặc hộ gia đình, viết đầy đủ có dấu.",
        "Nguyễn Thị Hương",
        validate_name,
        label="Tên",
    ),
    Key(
        "kind",
        True,
        "Loại: `ca-nhan` (cá nhân), `tap-the` (tập thể) hoặc `ho-gia-dinh` (hộ gia đình).",
        "ca-nhan",
        validate_kind,
        label="Loại",
    ),
    Key(
        "fields",
        True,
        "Một hoặc nhiều mã lĩnh vực trong plans/fields.yml, viết trong ngoặc vuông.",
        "[day-tot-hoc-tot]",
        validate_fields,
        label="Lĩnh vực",
    ),
    Key(
        "province",
        True,
        "Mã tỉnh, thành phố theo tên tại thời điểm được công nhận (plans/provinces.yml), kể cả tỉnh cũ trước 1/7/2025.",
        "nam-dinh",
        validate_province,
        label="Tỉnh, thành phố",
    ),
    Key(
        "locality",
        False,
        "Địa bàn cụ thể (xã, phường, huyện…), viết tự do.",
        "Phường Lộc Hạ, TP. Nam Định",
        validate_optional_text("Địa bàn (locality)", 200),
        label="Địa bàn",
    ),
    Key(
        "organization",
        False,
        "Cơ quan, đơn vị công tác.",
        "Trường THCS Trần Đăng Ninh",
        validate_optional_text("Cơ quan, đơn vị (organization)", 200),
        label="Cơ quan, đơn vị",
    ),
    Key(
        "plans",
        False,
        "Mã các kế hoạch mà gương được công nhận theo (plans/*.yml).",
        "[nam-dinh-2022-2025]",
        validate_plans,
        label="Kế hoạch",
    ),
    Key(
        "awards",
        False,
        "Danh sách khen thưởng: `title` (tên), `decision` (số quyết định), `date` (NĂM-THÁNG-NGÀY). Hồ sơ gương thật "
        "cần ít nhất một khen thưởng có số quyết định hoặc một bài báo trong `sources`, để bạn đọc kiểm chứng.",
        "- {title: Bằng khen của Chủ tịch UBND tỉnh, decision: Quyết định số 1234/QĐ-UBND, date: 2023-05-12}",
        validate_awards,
        label="Khen thưởng",
    ),
    Key(
        "summary",
        True,
        f"Một đến ba câu giới thiệu, tối đa {SUMMARY_MAX} ký tự; dùng cho thẻ, kết quả tìm kiếm và feed.",
        "Cô giáo 20 năm gắn bó với học sinh vùng ven.",
        validate_summary,
        label="Tóm tắt",
    ),
    Key(
        "published",
        True,
        "Ngày đăng bài (NĂM-THÁNG-NGÀY). Đã đăng thì không sửa ngày này (mã của câu chuyện trong feed dựa vào nó); "
        "ngày sửa bài ghi vào `updated`.",
        "2023-06-01",
        validate_published,
        label="Ngày đăng",
    ),
    Key(
        "updated",
        False,
        "Ngày cập nhật gần nhất (NĂM-THÁNG-NGÀY), không sớm hơn ngày đăng.",
        "2023-07-10",
        validate_updated,
        label="Ngày cập nhật",
    ),
    Key(
        "photo",
        False,
        "Ảnh đặt cùng thư mục: `src` (tên tệp), `alt` (mô tả ảnh) và `credit` (nguồn ảnh) đều bắt buộc.",
        "{src: chan-dung.jpg, alt: Cô Hương trên lớp, credit: Báo Nam Định}",
        validate_photo,
        label="Ảnh",
    ),
    Key(
        "sources",
        False,
        "Các bài báo đã đưa tin: `title` và `url` (https://…). Hồ sơ gương thật không có khen thưởng kèm số quyết "
        "định thì cần ít nhất một bài báo.",
        '- {title: "Cô giáo của học trò nghèo", url: "https://baonamdinh.vn/co-giao-cua-hoc-tro-ngheo"}',
        validate_sources,
        label="Báo chí đã đưa tin",
    ),
    Key(
        "consent",
        False,
        "Bắt buộc `true` với cá nhân và hộ gia đình: người được nêu gương đã đồng ý (bằng văn bản) cho đăng.",
        "true",
        validate_consent,
        label="Sự đồng ý",
        required_for=("ca-nhan", "ho-gia-dinh"),
    ),
    Key(
        "public_contacts",
        False,
        "Số đường dây nóng, điện thoại hoặc thư điện tử công khai của cơ quan, đơn vị, được phép hiện trên trang "
        "(mọi số điện thoại, thư điện tử khác trong hồ sơ đều bị từ chối).",
        '["Đường dây nóng UBND phường Lộc Hạ: 0228 3812 345"]',
        validate_public_contacts,
        label="Liên hệ công khai",
    ),
    Key(
        "corrections",
        False,
        f"Đính chính sau khi đăng: `date` (NĂM-THÁNG-NGÀY) và `text` (tối đa {CORRECTION_MAX} ký tự); "
        "hiện trong khung “Đính chính” trên trang.",
        '- {date: 2024-03-01, text: "Đính chính: năm nhận Bằng khen là 2023, không phải 2022."}',
        validate_corrections,
        label="Đính chính",
    ),
    Key("tags", False, "Từ khóa tự do.", "[giáo dục]", validate_tags, label="Từ khóa"),
    Key(
        "draft",
        False,
        "`true` nếu là bản nháp: chỉ hiện khi xem trước, không đăng.",
        "false",
        validate_draft,
        label="Bản nháp",
    ),
    Key(
        "aliases",
        False,
        "Các đường dẫn cũ của hồ sơ (khi đổi tên thư mục), để liên kết cũ vẫn dùng được. Thêm đường dẫn cũ vào "
        "cuối danh sách và không xóa: đường dẫn đầu tiên giữ mã cố định của câu chuyện trong feed.",
        "[ten-cu]",
        validate_aliases,
        label="Đường dẫn cũ",
    ),
    Key(
        "sample",
        False,
        "`true` chỉ với hồ sơ mẫu, minh họa (không phải gương có thật): được ghi rõ là dữ liệu mẫu ở mọi nơi hồ sơ "
        "xuất hiện (trang, thẻ, tìm kiếm, feed, dữ liệu mở) và không bao giờ được tính vào kết quả của kế hoạch hay "
        "thống kê. Hồ sơ thật không ghi khóa này.",
        "false",
        validate_sample,
        label="Hồ sơ mẫu",
    ),
)
PROFILE_KEY_NAMES: tuple[str, ...] = tuple(key.name for key in PROFILE_KEYS)


def profile_key(name: str) -> Key:
    return next(key for key in PROFILE_KEYS if key.name == name)


def invisible_characters(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(key path, character) for every invisible character in any key or text value, however deep.

    The file itself was checked on reading; these came in through YAML escapes (`"\\x00"`, `"\\u202e"`).
    """
    if isinstance(value, str):
        if match := INVISIBLE.search(value):
            yield prefix, match.group()
    elif isinstance(value, dict):
        for name, item in value.items():
            path = f"{prefix}.{name}" if prefix else str(name)
            yield from invisible_characters(name, path)
            yield from invisible_characters(item, path)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from invisible_characters(item, f"{prefix}.{index}" if prefix else str(index))


def _invisible_value_message(char: str) -> str:
    return (
        f"giá trị có {describe_invisible(char)}, viết dưới dạng mã thoát trong ngoặc kép. Hãy xóa mã này "
        "hoặc gõ lại giá trị."
    )


def validate_profile(source: Source, slug: str, folder: Path, vocabulary: Vocabulary) -> list[Problem]:
    """Every problem of one profile, each naming its line."""
    problems: list[Problem] = []

    def report(message: str, key: str | None = None, line: int | None = None) -> None:
        if line is None:
            line = source.lines.get(key or "", None)
            parent = key
            while line is None and parent and "." in parent:
                parent = parent.rsplit(".", 1)[0]
                line = source.lines.get(parent)
        problems.append(Problem(source.path, line or 1, key, message))

    if not SLUG_RE.match(slug):
        report(
            f"tên thư mục `{slug}` không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang, "
            f"ví dụ `{slugify(slug) or 'nguyen-thi-huong-nam-dinh'}`.",
            line=1,
        )
    data = source.data
    if not isinstance(data, dict):
        report("phần thông tin đầu tệp phải là các dòng `tên-trường: giá trị`.")
        return problems
    # The file was checked on reading; only a YAML escape (`"\u202e"`, which needs a backslash) can bring more.
    for key, char in invisible_characters(data) if "\\" in source.text or not source.text else ():
        report(_invisible_value_message(char), key)
    ctx = Context(vocabulary, folder, data)
    misspelt = set()
    for issue in _check_keys(data, PROFILE_KEY_NAMES, ""):
        report(issue.message, (issue.key or "").lstrip("."))
        misspelt.update(re.findall(r"Có phải ý bạn là `([a-z_]+)`", issue.message))
    for key in PROFILE_KEYS:
        if key.name not in data:
            if key.required and key.name in misspelt:
                continue  # `sumary` already told them: one mistake, one message
            if key.required:
                report(f"thiếu trường bắt buộc. {key.rule} Ví dụ: `{key.name}: {key.example}`.", key.name, line=1)
            elif data.get("kind") in key.required_for:
                kind = KINDS[data["kind"]].lower()
                report(f"hồ sơ {kind} cần trường này. {key.rule} Ví dụ: `{key.name}: {key.example}`.", key.name, line=1)
            continue
        for issue in key.validate(data[key.name], ctx):
            report(issue.message, issue.key or key.name)
    for key_name, message in validate_verifiable(data):
        report(message, key_name, line=source.lines.get(key_name, 1))
    photo = data.get("photo")
    photo_src = photo.get("src") if isinstance(photo, dict) and isinstance(photo.get("src"), str) else None
    for line, key_name, message in validate_privacy(source, data.get("public_contacts"), slug, photo_src):
        report(message, key_name, line=line)
    if len(source.body) > STORY_MAX:
        report(
            f"câu chuyện dài {_thousands(len(source.body))} ký tự, tối đa {_thousands(STORY_MAX)} (khoảng 60.000 từ). "
            "Một câu chuyện dài như vậy không vừa feed của báo chí: hãy rút gọn, hoặc đưa phần tư liệu lên trang "
            "khác rồi dẫn liên kết ở `sources`.",
            line=source.body_line,
        )
    if not _HTML_COMMENT.sub("", source.body).strip():
        report("chưa có câu chuyện: hãy viết nội dung bên dưới dòng `---` thứ hai.", line=source.body_line)
    return problems


def validate_verifiable(data: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """A published real profile gives readers a way to check it: at least one award with its decision number, or
    one press source. Drafts are not published yet; samples say they are invented. A mistake in `awards` or `sources`
    themselves is reported by their own rule, not twice."""
    if data.get("draft") is True or data.get("sample") is True:
        return
    awards, sources = data.get("awards", []), data.get("sources", [])
    if not isinstance(awards, list) or not isinstance(sources, list) or sources:
        return
    if any(isinstance(a, dict) and isinstance(a.get("decision"), str) and a["decision"].strip() for a in awards):
        return
    if awards:
        yield "awards", _UNVERIFIED_AWARD_MESSAGE
    else:
        yield "awards", _UNVERIFIED_MESSAGE


_UNVERIFIED_MESSAGE = (
    "hồ sơ chưa có căn cứ để bạn đọc kiểm chứng: cần ít nhất một khen thưởng có số quyết định hoặc một bài báo "
    "đã đưa tin. Hãy thêm khen thưởng, ví dụ `awards: [{title: Bằng khen của Chủ tịch UBND tỉnh, decision: "
    'Quyết định số 1234/QĐ-UBND, date: 2023-05-12}]`, hoặc bài báo, ví dụ `sources: [{title: "Tên bài", '
    'url: "https://…"}]`.'
)
_UNVERIFIED_AWARD_MESSAGE = (
    "khen thưởng chưa ghi số quyết định và hồ sơ chưa có bài báo đã đưa tin, nên bạn đọc không kiểm chứng được. "
    "Hãy ghi số quyết định vào khen thưởng, ví dụ `decision: Quyết định số 1234/QĐ-UBND`, hoặc thêm bài báo vào "
    '`sources`, ví dụ `sources: [{title: "Tên bài", url: "https://…"}]`.'
)


def _thousands(number: int) -> str:
    """`120.000`: Vietnamese groups thousands with a dot."""
    return f"{number:,}".replace(",", ".")


def validate_privacy(
    source: Source, public_contacts: Any, slug: str = "", photo: str | None = None
) -> Iterator[tuple[int, str | None, str]]:
    """Phone numbers, citizen ID numbers and personal e-mail anywhere in the profile, as written and as published.

    Four readings, so that no disguise gets through (privacy.py normalises each): the file line by line, comments
    included (the repository is public too); every value as YAML reads it (a folded scalar joins lines, an escape
    makes a digit); the story as the page shows it (markup, entities and line breaks can assemble a number); and the
    folder and photo names, which become addresses. The build scans its outputs with the same rules
    (`build.scan_outputs`): `check` gives the same answer. Only the contacts a profile declares in
    `public_contacts` are let through, and the page shows them as official contacts.
    """
    allowed: set[str] = set()
    if isinstance(public_contacts, list):
        allowed = {f.value for item in public_contacts if isinstance(item, str) for f in contacts_in(item)}
    for line, key, message, _ in personal_data_in(source, allowed, slug, photo):
        yield line, key, message


def personal_data_in(
    source: Source, allowed: set[str], slug: str = "", photo: str | None = None
) -> Iterator[tuple[int, str | None, str, str]]:
    """(line, key, message, normalised value) of each piece of personal data in a profile (see `validate_privacy`);
    the build also uses it to name the profile behind a number found in what it wrote."""
    reported = set(allowed)
    starts = sorted((line, key) for key, line in source.lines.items())
    if may_contain_personal_data(source.text):
        for number, line in enumerate(source.text.splitlines(), start=1):
            for finding in find_personal_data(line):
                if finding.value not in allowed:
                    reported.add(finding.value)
                    key = _key_at(starts, number) if number < source.body_line else None
                    yield number, key, finding.message, finding.value
    for key, value in _text_values(source.data):
        for finding in find_personal_data(value) if may_contain_personal_data(value) else ():
            if finding.value not in reported:
                reported.add(finding.value)
                yield source.lines.get(key, 1), key, finding.message, finding.value
    if _may_hide_personal_data(source.body):
        for finding in find_personal_data(visible_text(render_story(source.body))):
            if finding.value not in reported:
                reported.add(finding.value)
                yield _story_line(source, finding), None, finding.message, finding.value
    for name, what in ((slug, "tên thư mục"), (photo or "", "tên tệp ảnh")):
        for finding in find_personal_data(name.replace("_", " ")):
            if finding.value not in allowed:
                line = 1 if what == "tên thư mục" else source.lines.get("photo.src", 1)
                message = (
                    f"{what} `{name}` có `{finding.text}`, giống số điện thoại, số căn cước hoặc thư điện tử; tên "
                    "này thành địa chỉ trên trang. Hãy đổi tên, bỏ phần đó đi."
                )
                yield line, None, message, finding.value


_MARKUP_SIGNS = re.compile(r"<[^>]*>|[*_`\\~]")


def _may_hide_personal_data(body: str) -> bool:
    """Whether the story's markup could assemble a number or an address the lines as written do not show."""
    return "&#" in body or may_contain_personal_data(_MARKUP_SIGNS.sub("", body))


def _text_values(value: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield prefix, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _text_values(item, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _text_values(item, f"{prefix}.{index}" if prefix else str(index))


def _story_line(source: Source, finding: Finding) -> int:
    """The line of the story where a number or address assembled by markup or a line break begins: the first line
    that starts it and, with the two after it, holds all of it."""
    wanted = _comparable(finding.text, finding.kind)
    lines = source.body.split("\n")
    for index, line in enumerate(lines):
        here = _comparable(visible_text(normalise(line)), finding.kind)
        window = _comparable(visible_text(normalise(" ".join(lines[index : index + 3]))), finding.kind)
        if wanted in window and wanted[:3] in here:
            return source.body_line + index
    return source.body_line


def _comparable(text: str, kind: str) -> str:
    return text.lower().replace(" ", "") if kind == EMAIL else re.sub(r"\D", "", text)


def _key_at(starts: Sequence[tuple[int, str]], line: int) -> str | None:
    """The deepest front-matter key whose value is on or above this line."""
    best: tuple[int, str] | None = None
    for start, key in starts:
        if start > line:
            break
        if best is None or start > best[0] or (start == best[0] and len(key) > len(best[1])):
            best = (start, key)
    return best[1] if best else None


def build_exemplar(source: Source, slug: str, folder: Path) -> Exemplar:
    """Data that passed `validate_profile` → the model. Assumes validity."""
    data = source.data
    photo = data.get("photo")
    return Exemplar(
        slug=slug,
        name=data["name"].strip(),
        kind=data["kind"],
        fields=tuple(data["fields"]),
        province=data["province"],
        summary=" ".join(data["summary"].split()),
        published=_date(data["published"]),
        body_markdown=source.body,
        source_path=source.path,
        locality=data.get("locality"),
        organization=data.get("organization"),
        plans=tuple(data.get("plans") or ()),
        awards=tuple(Award(a["title"], a.get("decision"), parse_date(a.get("date"))) for a in data.get("awards") or ()),
        updated=parse_date(data.get("updated")),
        photo=Photo(
            photo["src"], photo["alt"], photo["credit"], find_photo(folder, photo["src"]) or folder / photo["src"]
        )
        if photo
        else None,
        sources=tuple(Link(s["title"], s["url"]) for s in data.get("sources") or ()),
        consent=bool(data.get("consent")),
        tags=tuple(data.get("tags") or ()),
        draft=bool(data.get("draft")),
        sample=bool(data.get("sample")),
        aliases=tuple(data.get("aliases") or ()),
        corrections=tuple(
            sorted(
                (Correction(_date(c["date"]), " ".join(c["text"].split())) for c in data.get("corrections") or ()),
                key=lambda c: c.date,
            )
        ),
        public_contacts=tuple(" ".join(c.split()) for c in data.get("public_contacts") or ()),
    )


def _date(value: str) -> dt.date:
    parsed = parse_date(value)
    assert parsed is not None
    return parsed


# --- plans and taxonomies: a declarative shape --------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """Expected type of a YAML value; `keys` for mappings (name → (shape, required)), `item` for lists."""

    kind: str  # text | int | list | map | date | partial-date | id | bool | enum | any-text
    keys: Mapping[str, tuple[Shape, bool]] | None = None
    item: Shape | None = None
    choices: tuple[str, ...] = ()
    vocabulary: str | None = None  # "fields" | "provinces": ids checked against that taxonomy


TEXT = Shape("text")
OPT_TEXT = Shape("any-text")
TEXTS = Shape("list", item=TEXT)
KIND = Shape("enum", choices=tuple(KINDS))
CRITERIA = Shape(
    "list",
    item=Shape(
        "map",
        keys={"kind": (KIND, True), "items": (TEXTS, True), "subject": (TEXT, False), "ref": (OPT_TEXT, False)},
    ),
)
FIELD_ID = Shape("id", vocabulary="fields")
SECTION_KEYS = (
    "basis",
    "purposes",
    "requirements",
    "general_criteria",
    "fields",
    "targets",
    "milestones",
    "implementation",
)
"""Plan keys a source section may be transcribed into (`sections[].in`)."""
PLAN_SHAPE = Shape(
    "map",
    keys={
        "id": (Shape("id"), True),
        "title": (TEXT, True),
        "number": (OPT_TEXT, True),
        "number_printed": (OPT_TEXT, False),
        "issuer": (TEXT, True),
        "level": (Shape("enum", choices=tuple(PLAN_LEVELS)), True),
        "locality": (TEXT, True),
        "province": (Shape("id", vocabulary="provinces"), True),
        "date": (Shape("partial-date"), True),
        "date_printed": (OPT_TEXT, False),
        "period": (Shape("map", keys={"start": (Shape("int"), True), "end": (Shape("int"), True)}), True),
        "source": (TEXT, True),
        "preamble": (TEXTS, False),
        "basis": (TEXTS, False),
        "purposes": (TEXTS, False),
        "requirements": (TEXTS, False),
        "general_criteria": (CRITERIA, False),
        "fields": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "ref": (TEXT, True),
                        "wording": (TEXT, True),
                        "field": (FIELD_ID, False),
                        "movements": (
                            Shape(
                                "list",
                                item=Shape(
                                    "map",
                                    keys={
                                        "wording": (TEXT, True),
                                        "field": (FIELD_ID, True),
                                        "lead": (TEXTS, False),
                                        "criteria": (CRITERIA, False),
                                    },
                                ),
                            ),
                            False,
                        ),
                        "lead": (TEXTS, False),
                        "criteria": (CRITERIA, False),
                    },
                ),
            ),
            True,
        ),
        "targets": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "text": (TEXT, True),
                        "who": (TEXT, False),
                        "min": (Shape("int"), True),
                        "max": (Shape("int"), False),
                        "per": (Shape("enum", choices=("year", "period", "once")), True),
                        "kinds": (Shape("list", item=KIND), False),
                        "field": (Shape("id", vocabulary="fields"), False),
                        "each": (Shape("bool"), False),
                    },
                ),
            ),
            False,
        ),
        "milestones": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "when": (Shape("partial-date"), False),  # absent: the source gives no date
                        "until": (Shape("partial-date"), False),
                        "what": (TEXT, True),
                        "label": (TEXT, False),
                        "who": (TEXT, False),
                    },
                ),
            ),
            False,
        ),
        "implementation": (
            Shape("list", item=Shape("map", keys={"agency": (TEXT, True), "duties": (TEXTS, True)})),
            False,
        ),
        "signer": (Shape("map", keys={"position": (OPT_TEXT, True), "name": (OPT_TEXT, True)}), False),
        "sections": (
            Shape(
                "list",
                item=Shape(
                    "map",
                    keys={
                        "ref": (TEXT, True),
                        "heading": (TEXT, True),
                        "in": (Shape("list", item=Shape("enum", choices=SECTION_KEYS)), False),
                        "text": (TEXTS, False),
                    },
                ),
            ),
            False,
        ),
        "omitted": (
            Shape("list", item=Shape("map", keys={"section": (TEXT, True), "reason": (TEXT, True)})),
            False,
        ),
        "ceased": (Shape("map", keys={"date": (Shape("partial-date"), True), "note": (TEXT, True)}), False),
    },
)
FIELDS_SHAPE = Shape(
    "list",
    item=Shape(
        "map",
        keys={
            "id": (Shape("id"), True),
            "name": (TEXT, True),
            "description": (TEXT, True),
            "aliases": (TEXTS, False),
            "related": (TEXTS, False),
        },
    ),
)
PROVINCES_SHAPE = Shape(
    "list",
    item=Shape(
        "map",
        keys={
            "id": (Shape("id"), True),
            "name": (TEXT, True),
            "type": (Shape("enum", choices=("tinh", "thanh-pho")), True),
            "current": (Shape("bool"), True),
            "merged_into": (Shape("id"), False),
            "merged_from": (Shape("list", item=Shape("id")), False),
            "former_names": (TEXTS, False),
        },
    ),
)


def validate_shape(
    value: Any, shape: Shape, key: str, vocabulary: Mapping[str, Sequence[str]] | None = None
) -> Iterator[Issue]:
    """Walk a value against its shape; every mismatch is one issue at the deepest key."""
    vocabulary = vocabulary or {}
    where = key or "tệp"
    if shape.kind == "text":
        if not isinstance(value, str) or not value.strip():
            yield Issue(f"cần một đoạn chữ không trống (đang là {_type_name(value)}).", key or None)
    elif shape.kind == "any-text":
        if not isinstance(value, str):
            yield Issue(f'cần một đoạn chữ, có thể để `""` (đang là {_type_name(value)}).', key or None)
    elif shape.kind == "int":
        if not isinstance(value, int) or isinstance(value, bool):
            yield Issue(f"cần một số nguyên (đang là {_type_name(value)}).", key or None)
    elif shape.kind == "bool":
        if not isinstance(value, bool):
            yield Issue(f"cần `true` hoặc `false` (đang là {_type_name(value)}).", key or None)
    elif shape.kind == "partial-date":
        if (
            not isinstance(value, str)
            or not _PARTIAL_DATE.match(value)
            or (len(value) == 10 and parse_date(value) is None)
        ):
            yield Issue(
                f"cần ngày dạng `2023`, `2023-05`, `2023-05-30` hoặc quý `2021-Q2` (đang là {_type_name(value)}).",
                key or None,
            )
    elif shape.kind == "enum":
        if not isinstance(value, str) or value not in shape.choices:
            yield Issue(
                f"giá trị {_type_name(value)} không hợp lệ; chọn một trong: {', '.join(shape.choices)}."
                f"{_suggest(str(value), list(shape.choices))}",
                key or None,
            )
    elif shape.kind == "id":
        if not isinstance(value, str) or not SLUG_RE.match(value):
            yield Issue(f"mã {_type_name(value)} phải viết thường, không dấu, nối bằng gạch ngang.", key or None)
        elif shape.vocabulary and value not in vocabulary.get(shape.vocabulary, ()):
            known = list(vocabulary.get(shape.vocabulary, ()))
            yield Issue(
                f"mã `{value}` không có trong danh mục {shape.vocabulary}.{_suggest(value, known)}", key or None
            )
    elif shape.kind == "list":
        if not isinstance(value, list):
            yield Issue(f"{where} cần một danh sách (đang là {_type_name(value)}).", key or None)
            return
        assert shape.item is not None
        for index, item in enumerate(value):
            yield from validate_shape(item, shape.item, f"{key}.{index}" if key else str(index), vocabulary)
    elif shape.kind == "map":
        if not isinstance(value, dict):
            yield Issue(f"{where} cần các dòng `tên-trường: giá trị` (đang là {_type_name(value)}).", key or None)
            return
        assert shape.keys is not None
        prefix = f"{key}." if key else ""
        for name in value:
            if name not in shape.keys:
                hint = _suggest(str(name), list(shape.keys))
                yield Issue(f"trường `{name}` không được hỗ trợ nên sẽ bị bỏ qua.{hint}", f"{prefix}{name}")
        for name, (sub_shape, required) in shape.keys.items():
            if name in value and (value[name] is not None or required):
                yield from validate_shape(value[name], sub_shape, f"{prefix}{name}", vocabulary)
            elif required:
                yield Issue(f"thiếu trường bắt buộc `{name}`.", key if key else f"{prefix}{name}")


def problems_from_issues(source: Source, issues: Iterator[Issue]) -> list[Problem]:
    problems = []
    for issue in issues:
        line, parent = source.lines.get(issue.key or ""), issue.key
        while line is None and parent and "." in parent:
            parent = parent.rsplit(".", 1)[0]
            line = source.lines.get(parent)
        problems.append(Problem(source.path, line or 1, issue.key, issue.message))
    return problems


def validate_plan(source: Source, file_id: str, vocabulary: Mapping[str, Sequence[str]]) -> list[Problem]:
    problems = problems_from_issues(source, validate_shape(source.data, PLAN_SHAPE, "", vocabulary))
    problems += [
        Problem(source.path, source.lines.get(key, 1), key, _invisible_value_message(char))
        for key, char in invisible_characters(source.data)
    ]
    data = source.data
    if isinstance(data, dict):
        if data.get("id") != file_id:
            problems.append(
                Problem(
                    source.path,
                    source.lines.get("id", 1),
                    "id",
                    f"mã kế hoạch `{data.get('id')}` phải trùng tên tệp `{file_id}`.",
                )
            )
        for index, item in enumerate(data.get("fields") or ()):
            if isinstance(item, dict) and ("field" in item) == ("movements" in item):
                key = f"fields.{index}"
                problems.append(
                    Problem(
                        source.path,
                        source.lines.get(key, 1),
                        key,
                        "mỗi lĩnh vực cần đúng một trong hai: `field` (một mã) hoặc `movements` (nhiều phong trào).",
                    )
                )
        for index, item in enumerate(data.get("sections") or ()):
            if isinstance(item, dict) and not item.get("in") and not item.get("text"):
                key = f"sections.{index}"
                problems.append(
                    Problem(
                        source.path,
                        source.lines.get(key, 1),
                        key,
                        "mỗi mục cần `in` (các trường chép mục này), `text` (các đoạn của mục) hoặc cả hai.",
                    )
                )
        ceased = data.get("ceased")
        if isinstance(ceased, dict) and isinstance(ceased.get("date"), str) and len(ceased["date"]) != 10:
            key = "ceased.date"
            problems.append(Problem(source.path, source.lines.get(key, 1), key, "cần ngày đầy đủ dạng `2025-07-01`."))
        period = data.get("period")
        start, end = (period.get("start"), period.get("end")) if isinstance(period, dict) else (None, None)
        if isinstance(start, int) and isinstance(end, int) and start > end:
            problems.append(
                Problem(source.path, source.lines.get("period", 1), "period", "năm bắt đầu sau năm kết thúc.")
            )
        problems += _check_ranges(source)
        problems += _plan_years(source)
    return problems


def _plan_years(source: Source) -> list[Problem]:
    """The years a plan names (period, date, milestones) within `PLAN_YEARS`: a plan ending in year 10000 crashed."""
    data = source.data
    named: list[tuple[str, Any]] = []
    period = data.get("period")
    if isinstance(period, dict):
        named += [(f"period.{part}", period.get(part)) for part in ("start", "end")]
    named.append(("date", data.get("date")))
    for index, milestone in enumerate(data.get("milestones") or ()):
        if isinstance(milestone, dict):
            named += [(f"milestones.{index}.{part}", milestone.get(part)) for part in ("when", "until")]
    problems = []
    for key, value in named:
        year = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and re.match(r"^\d{4,}", value):
            year = int(re.match(r"^\d+", value).group()[:9])  # type: ignore[union-attr]
        if year is not None and year not in PLAN_YEARS:
            message = f"năm {year} nằm ngoài khoảng {PLAN_YEARS.start}–{PLAN_YEARS.stop - 1}. Kiểm tra lại năm."
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
    return problems


def _check_ranges(source: Source) -> list[Problem]:
    """Numbers and spans that are each valid alone but contradict each other (`max` below `min`)."""
    problems = []
    for index, target in enumerate(source.data.get("targets") or ()):
        low, high = (target.get("min"), target.get("max")) if isinstance(target, dict) else (None, None)
        if isinstance(low, int) and isinstance(high, int) and high < low:
            key = f"targets.{index}.max"
            message = f"mức tối đa {high} nhỏ hơn mức tối thiểu {low}. Sửa lại `min` hoặc `max`."
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
    for index, milestone in enumerate(source.data.get("milestones") or ()):
        if not isinstance(milestone, dict):
            continue
        when, until = milestone.get("when"), milestone.get("until")
        if until is not None and when is None:
            key = f"milestones.{index}.until"
            message = (
                "mốc có `until` (kết thúc) cần có `when` (bắt đầu). Mốc văn bản không nêu thời gian thì bỏ cả hai."
            )
            problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
        if (
            isinstance(when, str)
            and isinstance(until, str)
            and _PARTIAL_DATE.match(when)
            and _PARTIAL_DATE.match(until)
        ):
            try:
                backwards = period_end(until) < period_start(when)
            except ValueError:
                continue
            if backwards:
                key = f"milestones.{index}.until"
                message = f"mốc kết thúc `{until}` sớm hơn mốc bắt đầu `{when}`. Sửa lại `when` hoặc `until`."
                problems.append(Problem(source.path, source.lines.get(key, 1), key, message))
    return problems


def _criteria(items: Any) -> tuple[CriteriaGroup, ...]:
    return tuple(
        CriteriaGroup(g["kind"], tuple(g["items"]), g.get("subject"), _opt_str(g.get("ref"))) for g in items or ()
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)


def build_plan(source: Source) -> Plan:
    data = source.data
    fields = []
    for item in data.get("fields") or ():
        movements = tuple(
            Movement(m["wording"], m["field"], tuple(m.get("lead") or ()), _criteria(m.get("criteria")))
            for m in item.get("movements") or ()
        )
        field_ids = (item["field"],) if "field" in item else tuple(dict.fromkeys(m.field for m in movements))
        fields.append(
            PlanField(
                ref=str(item["ref"]),
                wording=item["wording"],
                field_ids=field_ids,
                lead=tuple(item.get("lead") or ()),
                criteria=_criteria(item.get("criteria")),
                movements=movements,
            )
        )
    signer = data.get("signer")
    return Plan(
        id=data["id"],
        title=data["title"],
        number=data["number"],
        issuer=data["issuer"],
        level=data["level"],
        locality=data["locality"],
        province=data["province"],
        date=data["date"],
        period_start=data["period"]["start"],
        period_end=data["period"]["end"],
        source=data["source"],
        source_path=source.path,
        basis=tuple(data.get("basis") or ()),
        purposes=tuple(data.get("purposes") or ()),
        requirements=tuple(data.get("requirements") or ()),
        general_criteria=_criteria(data.get("general_criteria")),
        fields=tuple(fields),
        targets=tuple(
            Target(
                t["text"],
                t["min"],
                t["per"],
                t.get("who"),
                t.get("max"),
                tuple(t.get("kinds") or ()),
                t.get("field"),
                bool(t.get("each")),
            )
            for t in data.get("targets") or ()
        ),
        milestones=tuple(
            Milestone(m.get("when"), m["what"], m.get("label"), m.get("who"), m.get("until"))
            for m in data.get("milestones") or ()
        ),
        preamble=tuple(data.get("preamble") or ()),
        sections=tuple(
            Section(str(s["ref"]), s["heading"], tuple(s.get("in") or ()), tuple(s.get("text") or ()))
            for s in data.get("sections") or ()
        ),
        omitted=tuple(Omission(str(o["section"]), o["reason"]) for o in data.get("omitted") or ()),
        ceased=Ceased(period_start(ceased["date"]), ceased["note"]) if (ceased := data.get("ceased")) else None,
        implementation=tuple(Duty(d["agency"], tuple(d["duties"])) for d in data.get("implementation") or ()),
        signer=Signer(signer["position"], signer["name"]) if signer else None,
        number_printed=data.get("number_printed"),
        date_printed=data.get("date_printed"),
    )


def build_fields(source: Source) -> dict[str, Field]:
    return {
        f["id"]: Field(
            f["id"],
            f["name"],
            " ".join(f["description"].split()),
            tuple(f.get("aliases") or ()),
            tuple(f.get("related") or ()),
        )
        for f in source.data
    }


def build_provinces(source: Source) -> dict[str, Province]:
    return {
        p["id"]: Province(
            id=p["id"],
            name=p["name"],
            type=p["type"],
            current=p["current"],
            merged_into=p.get("merged_into"),
            merged_from=tuple(p.get("merged_from") or ()),
            former_names=tuple(p.get("former_names") or ()),
        )
        for p in source.data
    }


def validate_taxonomies(fields_source: Source, provinces_source: Source) -> list[Problem]:
    problems = problems_from_issues(fields_source, validate_shape(fields_source.data, FIELDS_SHAPE, ""))
    problems += problems_from_issues(provinces_source, validate_shape(provinces_source.data, PROVINCES_SHAPE, ""))
    if problems:
        return problems
    for source in (fields_source, provinces_source):
        seen: set[str] = set()
        for index, item in enumerate(source.data):
            if item["id"] in seen:
                problems.append(
                    Problem(
                        source.path, source.lines.get(f"{index}.id", 1), f"{index}.id", f"mã `{item['id']}` bị trùng."
                    )
                )
            seen.add(item["id"])
    for index, item in enumerate(fields_source.data):
        # A separate movement is not another name of the field: one wording may not be both.
        both = sorted(set(item.get("aliases") or ()) & set(item.get("related") or ()))
        if both:
            key = f"{index}.related"
            problems.append(
                Problem(
                    fields_source.path,
                    fields_source.lines.get(key, 1),
                    key,
                    f"“{both[0]}” vừa là tên khác (`aliases`) vừa là phong trào riêng (`related`) của lĩnh vực "
                    f"`{item['id']}`. Giữ ở một chỗ: tên khác của cùng phong trào thì để trong `aliases`.",
                )
            )
    ids = {p["id"]: p for p in provinces_source.data}
    for index, item in enumerate(provinces_source.data):
        target = item.get("merged_into")
        key = f"{index}.merged_into"
        if not item["current"] and (target is None or target not in ids or not ids[target]["current"]):
            problems.append(
                Problem(
                    provinces_source.path,
                    provinces_source.lines.get(key, provinces_source.lines.get(f"{index}.id", 1)),
                    key,
                    f"tỉnh cũ `{item['id']}` cần `merged_into` là mã một tỉnh, thành phố hiện hành.",
                )
            )
    return problems
