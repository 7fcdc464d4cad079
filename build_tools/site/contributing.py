"""The contributor reference (in CONTRIBUTING.md) and the GitHub issue form, generated from the schema.

Both are derived from `PROFILE_KEYS` and the taxonomies, the same objects `exemplars check` validates with,
so the guide officers read cannot drift from the rules applied to them. `exemplars docs` rewrites them;
`exemplars docs --check` (and a test) fails when they are out of date.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from ..content.catalogue import vi_sort_key
from ..content.config import Project
from ..content.model import KINDS, Field, Province
from ..content.schema.keys import PROFILE_KEYS, Key, profile_key
from .cms import CMS_CONFIG, plan_titles, render_cms_config
from .scaffold import yaml_example

CONTRIBUTING = "CONTRIBUTING.md"
ISSUE_FORM = ".github/ISSUE_TEMPLATE/de-xuat-guong-dien-hinh.yml"
ISSUE_CONFIG = ".github/ISSUE_TEMPLATE/config.yml"
CORRECTION_FORM = ".github/ISSUE_TEMPLATE/bao-loi.yml"
CORRECTION_FILE_FIELD = "ho-so"
"""The correction form's field that a story's "Báo lỗi" link fills with the profile's file (`pages.report_url`)."""
REFERENCE_BEGIN = (
    "<!-- BEGIN tham-chieu: tạo tự động bởi `exemplars docs` từ build_tools/content/schema/keys.py; đừng sửa tay -->"
)
REFERENCE_END = "<!-- END tham-chieu -->"
GENERATED_NOTE = "# Tạo tự động từ build_tools/content/schema/keys.py bởi `exemplars docs`; đừng sửa tay.\n"


class DocsError(Exception):
    """A generated file cannot be updated (its markers are missing); the message is in Vietnamese."""


@dataclass(frozen=True)
class FormItem:
    """How one profile key appears in the issue form ("Đề xuất gương điển hình")."""

    widget: str
    """`input`, `textarea`, `dropdown`, `checkboxes`, or `skip` for keys that only matter inside the repository."""
    description: str = ""
    """Replaces the key's rule when a proposer needs different words."""
    options: str = ""
    """For dropdowns: `kinds`, `fields` (several allowed) or `provinces`."""


FORM: Mapping[str, FormItem] = {
    "name": FormItem("input"),
    "kind": FormItem("dropdown", "Chọn một loại.", options="kinds"),
    "fields": FormItem("dropdown", "Chọn một hoặc nhiều lĩnh vực.", options="fields"),
    "province": FormItem(
        "dropdown", "Tỉnh, thành phố tại thời điểm được công nhận, kể cả tỉnh cũ trước 1/7/2025.", options="provinces"
    ),
    "locality": FormItem("input"),
    "organization": FormItem("input"),
    "plans": FormItem(
        "input",
        "Nếu biết: kế hoạch (của tỉnh, huyện, sở…) mà gương được công nhận theo, ghi tên hoặc số kế hoạch.",
    ),
    "awards": FormItem("textarea", "Mỗi khen thưởng một dòng: tên khen thưởng, số quyết định, ngày quyết định."),
    "summary": FormItem("textarea"),
    "published": FormItem("skip"),  # the editors choose the date when they publish
    "updated": FormItem("skip"),  # only for profiles already published
    "photo": FormItem(
        "textarea",
        "Kéo thả ảnh vào ô này (ảnh gốc từ điện thoại, JPEG hoặc PNG), ghi mô tả ảnh cho người khiếm thị (alt) "
        "và nguồn ảnh (credit): tác giả hoặc cơ quan giữ bản quyền.",
    ),
    "sources": FormItem("textarea", "Mỗi bài báo một dòng: tên bài và địa chỉ https://…"),
    "consent": FormItem("checkboxes"),
    "public_contacts": FormItem("input"),
    "corrections": FormItem("skip"),  # corrections come after publication, by pull request
    "tags": FormItem("input", "Vài từ khóa, cách nhau bằng dấu phẩy."),
    "draft": FormItem("skip"),  # a repository workflow flag
    "aliases": FormItem("skip"),  # only when a profile folder is renamed
    "sample": FormItem("skip"),  # proposals are of real exemplars; samples ship with the repository
}


def render_reference(fields: Iterable[Field], provinces: Iterable[Province]) -> str:
    """The "Tham chiếu" section of CONTRIBUTING.md: every key, every valid id, a complete example."""
    ordered = sorted(provinces, key=lambda p: vi_sort_key(p.name))
    body = _ENV.get_template("contributing_reference.md.j2").render(
        keys=PROFILE_KEYS,
        kinds=KINDS,
        consent_kinds=profile_key("consent").required_for,
        fields=list(fields),
        current=[p for p in ordered if p.current],
        former=[p for p in ordered if not p.current],
        example=render_example_profile().rstrip("\n"),
        required=_required_label,
    )
    return f"{REFERENCE_BEGIN}\n\n{body.strip()}\n\n{REFERENCE_END}"


def render_example_profile() -> str:
    """A profile that uses every key with its documented example (a test checks that it passes)."""
    return _ENV.get_template("example_profile.md.j2").render(keys=PROFILE_KEYS)


def render_issue_form(fields: Iterable[Field], provinces: Iterable[Province], repo_url: str = "") -> str:
    """`.github/ISSUE_TEMPLATE/de-xuat-guong-dien-hinh.yml`: one form element per profile key that a proposer fills."""
    options = {
        "kinds": [f"{kind} – {label}" for kind, label in KINDS.items()],
        "fields": [f"{f.id} – {f.name}" for f in fields],
        "provinces": [_province_option(p) for p in sorted(provinces, key=lambda p: vi_sort_key(p.name))],
    }
    guide = f"{repo_url.rstrip('/')}/blob/main/{CONTRIBUTING}" if repo_url else f"../blob/main/{CONTRIBUTING}"
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Biểu mẫu này dành cho cơ quan, đơn vị muốn đề xuất một gương điển hình mà không tự tạo hồ sơ: "
                    f"ban biên tập sẽ chuyển đề xuất thành hồ sơ theo [hướng dẫn đóng góp]({guide})."
                    "\n\n**Đề xuất này được đăng công khai.** Không ghi số điện thoại, số căn cước công dân, địa chỉ "
                    "nhà hay thư điện tử cá nhân của bất kỳ ai."
                )
            },
        },
        _element("input", "proposer", "Cơ quan, đơn vị đề xuất", "Tên cơ quan, đơn vị gửi đề xuất này.", True),
    ]
    for key in PROFILE_KEYS:
        item = FORM[key.name]
        if item.widget != "skip":
            body.append(_form_element(key, item, options))
    body.append(
        _element(
            "textarea",
            "story",
            "Câu chuyện",
            "Câu chuyện về tấm gương: đã làm gì, kết quả ra sao, được ghi nhận thế nào. Viết tự nhiên, có số liệu.",
            True,
        )
    )
    body.append(
        {
            "type": "checkboxes",
            "id": "privacy",
            "attributes": {
                "label": "Cam kết",
                "options": [
                    {
                        "label": "Đề xuất không có số điện thoại, số căn cước công dân hay thư điện tử cá nhân.",
                        "required": True,
                    },
                    {"label": "Thông tin trong đề xuất đã được cơ quan, đơn vị kiểm tra.", "required": True},
                ],
            },
        }
    )
    form = {
        "name": "Đề xuất gương điển hình",
        "description": "Đề xuất một cá nhân, tập thể hoặc hộ gia đình điển hình tiên tiến để đăng lên trang.",
        "title": "[Đề xuất] ",
        "labels": ["de-xuat"],
        "body": body,
    }
    dumped = yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=120)
    return GENERATED_NOTE + dumped


def render_correction_form() -> str:
    """`.github/ISSUE_TEMPLATE/bao-loi.yml`: what a reader reports about a published story, with the profile's file
    filled in by the story's link, so the officer opens the right file; the link carries only that ASCII path (the
    same questions written into the link, percent-encoded, were 0.9 kB of every story page)."""
    body: list[dict[str, Any]] = [
        {
            "type": "markdown",
            "attributes": {
                "value": (
                    "Cảm ơn bạn đã báo lỗi. Ban biên tập sẽ kiểm tra và sửa hồ sơ, ghi lại việc đính chính trên trang."
                    "\n\n**Báo lỗi này được đăng công khai.** Không ghi số điện thoại, số căn cước công dân, địa chỉ "
                    "nhà hay thư điện tử cá nhân của bất kỳ ai."
                )
            },
        },
        _element(
            "input",
            CORRECTION_FILE_FIELD,
            "Tệp hồ sơ",
            'Điền sẵn khi bạn bấm "Báo lỗi để đính chính" trên trang câu chuyện; nếu trống, hãy dán địa chỉ trang.',
            True,
        ),
        _element("textarea", "sai", "Thông tin chưa đúng", "Chép nguyên văn câu, số liệu hay tên chưa đúng.", True),
        _element("textarea", "dung", "Thông tin đúng là", "Viết lại cho đúng.", True),
        _element(
            "textarea",
            "can-cu",
            "Căn cứ (quyết định, văn bản, bài báo)",
            "Số, ngày của quyết định hoặc văn bản, hay địa chỉ bài báo cho thấy thông tin đúng.",
            False,
        ),
    ]
    form = {
        "name": "Báo lỗi trong một câu chuyện",
        "description": "Báo thông tin chưa đúng trong một câu chuyện đã đăng, để ban biên tập đính chính.",
        "title": "Báo lỗi: ",
        "body": body,
    }
    return GENERATED_NOTE + yaml.safe_dump(form, allow_unicode=True, sort_keys=False, width=120)


def render_issue_config(repo_url: str) -> str:
    """The "New issue" chooser: the form above, and a link to the guide for those who can make a pull request."""
    guide = f"{repo_url.rstrip('/')}/blob/main/{CONTRIBUTING}" if repo_url else f"../blob/main/{CONTRIBUTING}"
    config = {
        "blank_issues_enabled": True,
        "contact_links": [
            {
                "name": "Hướng dẫn đóng góp hồ sơ",
                "url": guide,
                "about": "Tự thêm một gương điển hình bằng pull request, trong 5 bước trên trang GitHub.",
            }
        ],
    }
    return GENERATED_NOTE + yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)


def _form_element(key: Key, item: FormItem, options: Mapping[str, list[str]]) -> dict[str, Any]:
    label = f"{key.label} ({key.name})"
    description = item.description or key.rule
    if item.widget == "dropdown":
        element = _element("dropdown", key.name, label, description, key.required)
        element["attributes"]["options"] = options[item.options]
        if item.options == "fields":
            element["attributes"]["multiple"] = True
        return element
    if item.widget == "checkboxes":
        who = ", ".join(KINDS[k].lower() for k in key.required_for)
        return {
            "type": "checkboxes",
            "id": key.name,
            "attributes": {
                "label": label,
                "description": f"Bắt buộc với {who}: không có văn bản đồng ý thì hồ sơ không được đăng.",
                "options": [{"label": "Người được nêu gương đã đồng ý bằng văn bản cho đăng thông tin."}],
            },
        }
    element = _element(item.widget, key.name, label, description, key.required)
    element["attributes"]["placeholder"] = key.example
    return element


def _element(widget: str, element_id: str, label: str, description: str, required: bool) -> dict[str, Any]:
    return {
        "type": widget,
        "id": element_id,
        "attributes": {"label": label, "description": description},
        "validations": {"required": required},
    }


def _province_option(province: Province) -> str:
    if province.current:
        return f"{province.id} – {province.label}"
    return f"{province.id} – {province.label} (trước 1/7/2025, nay thuộc {province.merged_into})"


def _required_label(key: Key) -> str:
    if key.required:
        return "có"
    if key.required_for:
        return "với " + ", ".join(KINDS[k].lower() for k in key.required_for)
    return "không"


def splice_reference(text: str, reference: str) -> str:
    """CONTRIBUTING.md with the generated section replaced; everything outside the markers is hand-written."""
    start, end = text.find(REFERENCE_BEGIN), text.find(REFERENCE_END)
    if start < 0 or end < start:
        raise DocsError(
            f"{CONTRIBUTING} thiếu hai dòng đánh dấu phần tham chiếu ({REFERENCE_BEGIN} … {REFERENCE_END}). "
            "Hãy thêm lại hai dòng đó vào chỗ đặt phần tham chiếu."
        )
    return text[:start] + reference + text[end + len(REFERENCE_END) :]


def expected_docs(project: Project, fields: Iterable[Field], provinces: Iterable[Province]) -> dict[str, str]:
    """What each generated file must contain, keyed by its path in the repository."""
    fields, provinces = list(fields), list(provinces)
    current = _read(project.root / CONTRIBUTING)
    if current is None:
        raise DocsError(f"không tìm thấy {CONTRIBUTING} ở thư mục gốc của kho.")
    return {
        CONTRIBUTING: splice_reference(current, render_reference(fields, provinces)),
        ISSUE_FORM: render_issue_form(fields, provinces, project.settings.repo_url),
        ISSUE_CONFIG: render_issue_config(project.settings.repo_url),
        CORRECTION_FORM: render_correction_form(),
        CMS_CONFIG: render_cms_config(project.settings, fields, provinces, plan_titles(project.plans_dir)),
    }


def stale_docs(project: Project, expected: Mapping[str, str]) -> list[str]:
    return [path for path, text in expected.items() if _read(project.root / path) != text]


def write_docs(project: Project, expected: Mapping[str, str]) -> list[str]:
    written = []
    for path in stale_docs(project, expected):
        target = project.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expected[path], encoding="utf-8", newline="\n")
        written.append(path)
    return written


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None


def _cell(value: str) -> str:
    """Text safe inside a Markdown table cell."""
    return " ".join(str(value).split()).replace("|", "\\|")


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("build_tools", "templates"),
        autoescape=False,  # Markdown for a Git host, written from our own schema
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(cell=_cell, yaml_example=yaml_example)
    return env


_ENV = _environment()
