"""The form editor's settings (`content/admin/config.yml`, read by Decap CMS at /admin/), generated from the schema.

Officers who do not write YAML fill a form; the form must ask for exactly what `exemplars check` demands, with
the same limits and the same Vietnamese words. So, like the contributor reference, the configuration is derived
from `PROFILE_KEYS` and the taxonomies; `exemplars docs` rewrites it and `exemplars docs --check` fails when the
committed file is stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..content.catalogue import vi_sort_key
from ..content.config import Settings
from ..content.load import load_yaml_file
from ..content.model import KINDS, Field, Province
from ..content.schema.keys import LOCALITY_MAX, NAME_MAX, ORGANIZATION_MAX, PROFILE_KEYS, SUMMARY_MAX, Key

CMS_CONFIG = "content/admin/config.yml"
BUNDLE_DIR = Path("node_modules") / "decap-cms" / "dist"
"""Where `npm ci` puts Decap CMS; the build copies the bundle from here to /admin/ (it is not kept in git)."""
COLLECTION = "exemplars"
LOCAL_BACKEND = "http://127.0.0.1:8081/api/v1"
"""decap-server as `bash tasks.sh cms` starts it (port 8081, loopback only)."""
DATE_FORMAT = "YYYY-MM-DD"
"""How dates are stored (the schema's NĂM-THÁNG-NGÀY); the browser's own date picker shows them its way."""
GENERATED_NOTE = (
    "# Tạo tự động từ build_tools/content/schema/keys.py bởi `exemplars docs`; đừng sửa tay.\n"
    "# Cấu hình trình biên tập hồ sơ (Decap CMS) ở /admin/: xem CONTRIBUTING.md, phần dành cho cán bộ truyền thông.\n"
)
_NO_MARKUP = "không chứa ký tự `<` hoặc `>`"


@dataclass(frozen=True)
class CmsItem:
    """How one profile key appears in the form."""

    widget: str
    """A Decap widget name, or `skip` for keys the form does not offer (see `SKIPPED`)."""
    limit: int | None = None
    """Longest text the check accepts; enforced by a pattern with a Vietnamese message."""
    hint: str = ""
    """Replaces the key's rule when a form needs different words (no YAML syntax in a form)."""


CMS: Mapping[str, CmsItem] = {
    "name": CmsItem("string", NAME_MAX),
    "kind": CmsItem("select", hint="Cá nhân, tập thể hoặc hộ gia đình."),
    "fields": CmsItem("select", hint="Chọn một hoặc nhiều lĩnh vực."),
    "province": CmsItem(
        "select",
        hint="Tỉnh, thành phố tại thời điểm được công nhận. Các tỉnh hiện hành đứng trước; tỉnh cũ (trước 1/7/2025) "
        "được ghi rõ ở cuối danh sách.",
    ),
    "locality": CmsItem("string", LOCALITY_MAX),
    "organization": CmsItem("string", ORGANIZATION_MAX),
    "plans": CmsItem("select", hint="Các kế hoạch mà gương được công nhận theo (nếu có)."),
    "awards": CmsItem("list", hint="Mỗi khen thưởng: tên, số quyết định và ngày quyết định."),
    "summary": CmsItem("text", SUMMARY_MAX),
    "published": CmsItem(
        "datetime",
        hint="Ngày đăng bài. Đã đăng thì không sửa ngày này; ngày sửa bài ghi vào “Ngày cập nhật”.",
    ),
    "updated": CmsItem("datetime"),
    "photo": CmsItem(
        "object",
        hint="Ảnh gốc (JPEG, PNG hoặc WebP), lưu cùng thư mục với hồ sơ. Có ảnh thì bắt buộc có mô tả ảnh và "
        "nguồn ảnh.",
    ),
    "sources": CmsItem("list", hint="Các bài báo đã đưa tin: tên bài và địa chỉ https://…"),
    "consent": CmsItem(
        "boolean",
        hint="Bật khi người được nêu gương (cá nhân, hộ gia đình) hoặc đơn vị (tập thể) đã đồng ý bằng văn bản cho "
        "đăng thông tin; cơ quan đề xuất lưu giữ văn bản. Không có đồng ý thì hồ sơ cá nhân, hộ gia đình không "
        "được đăng.",
    ),
    "public_contacts": CmsItem(
        "list",
        hint="Chỉ số đường dây nóng, điện thoại hoặc thư điện tử công khai của cơ quan, đơn vị; mọi số điện thoại, "
        "thư điện tử khác trong hồ sơ đều bị từ chối.",
    ),
    "corrections": CmsItem(
        "list", hint="Đính chính sau khi đăng: ngày và nội dung; hiện trong khung “Đính chính” trên trang."
    ),
    "tags": CmsItem("list", hint="Từ khóa tự do, cách nhau bằng dấu phẩy."),
    "draft": CmsItem("skip"),
    "aliases": CmsItem("skip"),
    "sample": CmsItem("skip"),
}

SKIPPED = {
    "draft": "the editorial workflow is the form's draft: an entry is a pull request until a maintainer merges it",
    "aliases": "only when a profile folder is renamed, which the form never does",
    "sample": "officers add real exemplars; samples ship with the repository and are marked by hand",
}
"""Keys the form leaves out, and why. Decap keeps keys it does not know when it saves an existing entry."""


def render_cms_config(
    settings: Settings,
    fields: Iterable[Field],
    provinces: Iterable[Province],
    plans: Sequence[tuple[str, str]] = (),
) -> str:
    """`content/admin/config.yml`: one folder collection writing `exemplars/<slug>/index.md`, photos beside it."""
    options = {
        "kinds": [{"label": label, "value": kind} for kind, label in KINDS.items()],
        "fields": [{"label": f.name, "value": f.id} for f in fields],
        "provinces": _province_options(provinces),
        "plans": [{"label": title, "value": plan_id} for plan_id, title in plans],
    }
    widgets = [_widget(key, CMS[key.name], options) for key in PROFILE_KEYS if CMS[key.name].widget != "skip"]
    if not plans:
        widgets = [w for w in widgets if w["name"] != "plans"]
    widgets.append(
        {
            "label": "Câu chuyện",
            "name": "body",
            "widget": "markdown",
            "hint": "Câu chuyện về tấm gương: đã làm gì, kết quả ra sao, được ghi nhận thế nào. Không ghi số điện "
            "thoại, số căn cước công dân hay thư điện tử cá nhân.",
            "buttons": [
                "bold",
                "italic",
                "link",
                "heading-two",
                "heading-three",
                "quote",
                "bulleted-list",
                "numbered-list",
            ],
            "editor_components": [],
        }
    )
    backend: dict[str, Any] = {
        "name": "github",
        "repo": github_repo(settings.repo_url),
        "branch": default_branch(settings.edit_uri),
        "open_authoring": True,
        "always_fork": False,
        "squash_merges": True,
        "commit_messages": {
            "create": "Thêm {{collection}} “{{slug}}”",
            "update": "Sửa {{collection}} “{{slug}}”",
            "delete": "Xóa {{collection}} “{{slug}}”",
            "uploadMedia": "Tải ảnh “{{path}}”",
            "deleteMedia": "Xóa ảnh “{{path}}”",
            "openAuthoring": "{{message}}",
        },
    }
    if settings.cms_auth_url:
        backend["base_url"] = settings.cms_auth_url
    config: dict[str, Any] = {
        "locale": "vi",
        "backend": backend,
        # `bash tasks.sh cms`: decap-server on this machine. Decap tries it only on a page served from 127.0.0.1
        # or localhost, so the published site always signs in through GitHub.
        "local_backend": {"url": LOCAL_BACKEND, "allowed_hosts": ["127.0.0.1", "localhost"]},
        "publish_mode": "editorial_workflow",
        "site_url": settings.site_url,
        "display_url": settings.site_url,
        "media_folder": "exemplars",
        "slug": {"encoding": "ascii", "clean_accents": True, "sanitize_replacement": "-"},
        "collections": [
            {
                "name": COLLECTION,
                "label": "Gương điển hình",
                "label_singular": "hồ sơ gương điển hình",
                "description": "Mỗi hồ sơ là một tệp exemplars/<đường-dẫn>/index.md, ảnh lưu cùng thư mục. Đường "
                "dẫn tạo từ tên và tỉnh, như lệnh `exemplars new`.",
                "folder": "exemplars",
                "path": "{{slug}}/index",
                # The name and the province, as `exemplars new` makes it: two namesakes in two provinces get two
                # folders; two in one province are caught by `exemplars check` (a stray `index-1.md`).
                "slug": "{{name}}-{{province}}",
                "media_folder": "",
                "public_folder": "",
                "create": True,
                "delete": False,
                "extension": "md",
                "format": "yaml-frontmatter",
                "identifier_field": "name",
                "summary": "{{name}} ({{province}})",
                "sortable_fields": ["name", "published", "province"],
                # The preview pane would show raw ids, not the page: the officer previews on the pull request.
                "editor": {"preview": False},
                "fields": widgets,
            }
        ],
    }
    dumped = yaml.safe_dump(config, allow_unicode=True, sort_keys=False, width=120)
    return GENERATED_NOTE + dumped


def bundle_files(root: Path) -> list[Path]:
    """The Decap CMS script, the chunks and WebAssembly it loads on demand, and its licence: what /admin/ serves.

    Empty when `npm ci` has not run: the build goes on, and /admin/ then says how to install it.
    """
    folder = root / BUNDLE_DIR
    if not (folder / "decap-cms.js").is_file():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.name.endswith(("decap-cms.js", ".wasm")) or path.name == "decap-cms.js.LICENSE.txt"
    )


def plan_titles(plans_dir: Path) -> list[tuple[str, str]]:
    """(id, title) of every plan, for the plans selector; a plan that does not parse is offered by its id."""
    found = []
    for path in sorted(plans_dir.glob("*.yml")):
        if path.stem in ("fields", "provinces"):
            continue
        source = load_yaml_file(path, path.name).source
        data = source.data if source is not None else None
        title = data.get("title") if isinstance(data, dict) else None
        found.append((path.stem, f"{title} ({path.stem})" if isinstance(title, str) else path.stem))
    return found


def github_repo(repo_url: str) -> str:
    """`https://github.com/owner/name` (mkdocs.yml `repo_url`) → `owner/name`; empty when it is not on GitHub."""
    parts = urlsplit(repo_url)
    path = parts.path.strip("/").removesuffix(".git")
    if parts.hostname != "github.com" or path.count("/") != 1:
        return ""
    return path


def default_branch(edit_uri: str) -> str:
    """The branch pull requests go to: the one mkdocs.yml's `edit_uri` edits (`edit/main/content/`), else main."""
    parts = edit_uri.strip("/").split("/")
    return parts[1] if len(parts) >= 2 and parts[0] in ("edit", "blob", "tree") and parts[1] else "main"


def _widget(key: Key, item: CmsItem, options: Mapping[str, list[dict[str, str]]]) -> dict[str, Any]:
    required = key.required or bool(key.required_for)
    widget: dict[str, Any] = {
        "label": key.label,
        "name": key.name,
        "widget": item.widget,
        "required": required,
        "hint": item.hint or key.rule,
    }
    if item.limit is not None:
        widget["pattern"] = _limit_pattern(key, item.limit, required)
    if key.name in ("kind", "province"):
        widget["options"] = options["kinds" if key.name == "kind" else "provinces"]
    elif key.name in ("fields", "plans"):
        widget.update(options=options[key.name], multiple=True)
        if key.required:
            widget["min"] = 1
    elif item.widget == "datetime":
        widget.update(_date())
    elif key.name == "awards":
        widget.update(
            summary="{{fields.title}}",
            fields=[
                _text("Tên khen thưởng", "title", 300, True, "Ví dụ: Bằng khen của Chủ tịch UBND tỉnh."),
                _text("Số quyết định", "decision", 200, False, "Ví dụ: Quyết định số 1234/QĐ-UBND."),
                {"label": "Ngày quyết định", "name": "date", "widget": "datetime", "required": False, **_date()},
            ],
        )
    elif key.name == "photo":
        # Decap (3.16) enforces a required field inside an optional object even when the object is left empty, so
        # required parts would make a photo mandatory for every profile. The form asks for all three and limits
        # their length; that a chosen photo has its description and credit is enforced by `exemplars check` on the
        # pull request, with the same message.
        widget.update(
            collapsed=False,
            fields=[
                {
                    "label": "Tệp ảnh",
                    "name": "src",
                    "widget": "image",
                    "required": False,
                    "choose_url": False,
                    "hint": "Tải ảnh gốc từ điện thoại hoặc máy ảnh (JPEG, PNG hoặc WebP).",
                },
                _text(
                    "Mô tả ảnh",
                    "alt",
                    250,
                    False,
                    "Bắt buộc khi có ảnh: mô tả ảnh cho người khiếm thị, ví dụ: Cô Hương trên lớp.",
                ),
                _text(
                    "Nguồn ảnh", "credit", 200, False, "Bắt buộc khi có ảnh: tác giả hoặc cơ quan giữ bản quyền ảnh."
                ),
            ],
        )
    elif key.name == "sources":
        widget.update(
            summary="{{fields.title}}",
            fields=[
                _text("Tên bài", "title", 300, True, "Tên bài báo như trên trang báo."),
                {
                    "label": "Địa chỉ bài báo",
                    "name": "url",
                    "widget": "string",
                    "required": True,
                    "pattern": [
                        "^https://[^\\s/]+\\.[^\\s]+$",
                        "Cần một địa chỉ đầy đủ bắt đầu bằng https://, chép từ thanh địa chỉ của trình duyệt.",
                    ],
                },
            ],
        )
    elif key.name == "corrections":
        widget.update(
            summary="{{fields.date}}",
            fields=[
                {"label": "Ngày đính chính", "name": "date", "widget": "datetime", "required": True, **_date()},
                _text(
                    "Nội dung đính chính",
                    "text",
                    500,
                    True,
                    "Ví dụ: Đính chính: năm nhận Bằng khen là 2023.",
                    widget="text",
                ),
            ],
        )
    elif key.name == "public_contacts":
        widget.update(field=_text("Liên hệ công khai", "contact", 200, True, key.example.strip('[]"')))
    elif key.name == "tags":
        widget.update(allow_add=True)
    return widget


def _text(label: str, name: str, limit: int, required: bool, hint: str, widget: str = "string") -> dict[str, Any]:
    return {
        "label": label,
        "name": name,
        "widget": widget,
        "required": required,
        "hint": hint,
        "pattern": [
            f"^[^<>]{{{1 if required else 0},{limit}}}$",
            f"tối đa {limit} ký tự, {_NO_MARKUP}; hãy rút gọn hoặc sửa lại",  # Decap prefixes the label
        ],
    }


def _limit_pattern(key: Key, limit: int, required: bool) -> list[str]:
    """The check's limit as a pattern with a Vietnamese message (Decap shows it under the field)."""
    return _text(key.label, key.name, limit, required, "")["pattern"]


def _date() -> dict[str, Any]:
    return {"format": DATE_FORMAT, "time_format": False}


def _province_options(provinces: Iterable[Province]) -> list[dict[str, str]]:
    """Today's 34 first, then the former ones marked with the province they joined."""
    ordered = sorted(provinces, key=lambda p: vi_sort_key(p.name))
    today = {p.id: p for p in ordered}
    current = [{"label": p.label, "value": p.id} for p in ordered if p.current]
    former = [
        {
            "label": f"{p.label} (tỉnh cũ, trước 1/7/2025; nay thuộc {_merged_label(p, today)})",
            "value": p.id,
        }
        for p in ordered
        if not p.current
    ]
    return current + former


def _merged_label(province: Province, by_id: Mapping[str, Province]) -> str:
    target = by_id.get(province.merged_into or "")
    return target.label if target is not None else str(province.merged_into)
