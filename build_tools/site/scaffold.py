"""`exemplars new`: a profile skeleton in the right folder, checked by the same validators as `exemplars check`.

An officer starts from a file that is valid except for what only they can write (the summary and the story),
so the first check they run points at exactly that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import yaml
from jinja2 import Environment, PackageLoader, StrictUndefined

from ..content.config import Project
from ..content.load import load_profile
from ..content.model import KINDS
from ..content.privacy import find_personal_data
from ..content.schema.checks import Context
from ..content.schema.keys import (
    PROFILE_KEYS,
    profile_key,
    validate_fields,
    validate_kind,
    validate_name,
    validate_province,
)
from ..content.schema.vocabulary import Vocabulary
from ..content.text import SLUG_RE, nfc, slugify

SKELETON_OPTIONAL = ("locality", "organization", "plans", "awards", "photo", "sources", "tags")
"""Optional keys the skeleton offers as commented-out lines (the others matter only after publication)."""

Ask = Callable[[str], str]
Say = Callable[[str], None]


class NewProfileError(Exception):
    """The answers cannot make a profile; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Answers:
    """What the officer gave so far, as options or at the prompts; empty means "not given yet"."""

    name: str = ""
    kind: str = ""
    fields: tuple[str, ...] = ()
    province: str = ""
    consent: bool | None = None

    @property
    def missing(self) -> list[str]:
        return [key for key in ("name", "kind", "fields", "province") if not getattr(self, key)]


@dataclass(frozen=True)
class NewProfile:
    name: str
    kind: str
    fields: tuple[str, ...]
    province: str
    slug: str
    published: dt.date
    consent: bool
    group: str = ""

    @property
    def relative_path(self) -> str:
        folder = f"{self.group}/{self.slug}" if self.group else self.slug
        return f"exemplars/{folder}/index.md"


def suggest_slug(name: str, province: str) -> str:
    """`Nguyễn Thị Hương` in `nam-dinh` → `nguyen-thi-huong-nam-dinh` (the province keeps namesakes apart)."""
    base = slugify(name)
    return base if base.endswith(province) else f"{base}-{province}".strip("-")


def claimed_slugs(project: Project) -> dict[str, str]:
    """Every slug in use, as a folder name or as a former slug (`aliases`), with the profile that claims it."""
    claimed: dict[str, str] = {}
    for path in sorted(project.exemplars_dir.rglob("index.md")):
        shown = project.shown(path)
        claimed.setdefault(path.parent.name, shown)
        source = load_profile(path, shown).source
        aliases = source.data.get("aliases") if source and isinstance(source.data, dict) else None
        for alias in aliases if isinstance(aliases, list) else ():
            claimed.setdefault(str(alias), shown)
    return claimed


def resolve_kind(value: str) -> str:
    """Accept the id, the label ("Cá nhân") or its number in the list."""
    value = nfc(value.strip())
    by_number = {str(n): kind for n, kind in enumerate(KINDS, start=1)}
    by_label = {slugify(label): kind for kind, label in KINDS.items()}
    return by_number.get(value) or by_label.get(slugify(value)) or value


def resolve_field(value: str, vocabulary: Vocabulary) -> str:
    """Accept the id, its number in the list, the name or a name a plan uses for it ("Y tế", "Dân vận khéo")."""
    value = nfc(value.strip())
    by_number = {str(n): field for n, field in enumerate(vocabulary.fields, start=1)}
    by_name = {slugify(alias): f.id for f in vocabulary.fields.values() for alias in f.aliases}
    by_name.update({slugify(f.name): f.id for f in vocabulary.fields.values()})
    by_name.update({f.id: f.id for f in vocabulary.fields.values()})
    return by_number.get(value) or by_name.get(slugify(value)) or value


def resolve_province(value: str, vocabulary: Vocabulary) -> str:
    """Accept the id or the name as people write it ("Nam Định", "tỉnh Nam Định", "TP. Hồ Chí Minh")."""
    value = nfc(value.strip())
    by_name = {slugify(p.name): p.id for p in vocabulary.provinces.values()}
    folded = slugify(value)
    for prefix in ("tinh-", "thanh-pho-", "tp-"):
        folded = folded.removeprefix(prefix)
    return folded if folded in vocabulary.provinces else by_name.get(folded, value)


def check_answers(
    name: str, kind: str, fields: Sequence[str], province: str, vocabulary: Vocabulary, folder: Path
) -> list[str]:
    """The same validators as `exemplars check`, each message prefixed with the field it is about."""
    ctx = Context(vocabulary, folder, {"kind": kind})
    messages = [f"name: {i.message}" for i in validate_name(name, ctx)]
    messages += [f"name: {_privacy_message()}" for _ in find_personal_data(name)]
    messages += [f"kind: {i.message}" for i in validate_kind(kind, ctx)]
    messages += [f"fields: {i.message}" for i in validate_fields(list(fields), ctx)]
    messages += [f"province: {i.message}" for i in validate_province(province, ctx)]
    return messages


def _privacy_message() -> str:
    return "tên không được chứa số điện thoại, số căn cước hay thư điện tử."


def check_group(group: str) -> list[str]:
    if group and not all(SLUG_RE.match(part) for part in group.split("/")):
        return [f"thư mục nhóm `{group}` chỉ dùng chữ thường không dấu, số và dấu gạch ngang, ví dụ `2024`."]
    return []


def check_slug(slug: str, claimed: dict[str, str]) -> list[str]:
    if not SLUG_RE.match(slug):
        return [
            f"đường dẫn `{slug}` không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch ngang, "
            f"ví dụ `{slugify(slug) or 'nguyen-thi-huong-nam-dinh'}`."
        ]
    if slug in claimed:
        return [
            f"đường dẫn `{slug}` đã được dùng cho hồ sơ {claimed[slug]}. Nếu đó là cùng một người, hãy sửa hồ sơ "
            f"đó thay vì tạo mới; nếu là người khác, chọn đường dẫn khác bằng `--slug`, ví dụ `--slug {slug}-2`."
        ]
    return []


def ask_answers(ask: Ask, say: Say, vocabulary: Vocabulary, answers: Answers) -> Answers:
    """Ask for what the options did not give, again until the validators accept each answer."""
    ctx = Context(vocabulary, Path("."), {})
    while not answers.name:
        name = nfc(ask("Tên người, tập thể hoặc hộ gia đình (đầy đủ, có dấu): ").strip())
        problems = [i.message for i in validate_name(name, ctx)]
        if find_personal_data(name):
            problems.append(_privacy_message())
        answers = _accept_or_say(answers, name=name, problems=problems, say=say)
    while not answers.kind:
        say("Loại: " + "; ".join(f"{n}) {kind} – {label}" for n, (kind, label) in enumerate(KINDS.items(), 1)))
        kind = resolve_kind(ask("Chọn loại (số hoặc mã): "))
        answers = _accept_or_say(answers, kind=kind, problems=[i.message for i in validate_kind(kind, ctx)], say=say)
    while not answers.fields:
        say("Lĩnh vực:")
        for number, field in enumerate(vocabulary.fields.values(), start=1):
            say(f"  {number:>2}) {field.id} – {field.name}")
        raw = ask("Chọn một hoặc nhiều lĩnh vực (số hoặc mã, cách nhau bằng dấu phẩy): ")
        fields = tuple(resolve_field(part, vocabulary) for part in raw.split(",") if part.strip())
        problems = [i.message for i in validate_fields(list(fields), ctx)]
        answers = _accept_or_say(answers, fields=fields, problems=problems, say=say)
    while not answers.province:
        raw = ask("Tỉnh, thành phố khi được công nhận (tên hoặc mã, ví dụ Nam Định hoặc nam-dinh): ")
        province = resolve_province(raw, vocabulary)
        problems = [i.message for i in validate_province(province, ctx)]
        answers = _accept_or_say(answers, province=province, problems=problems, say=say)
    if answers.consent is None and answers.kind in profile_key("consent").required_for:
        reply = slugify(ask("Người được nêu gương đã đồng ý bằng văn bản cho đăng thông tin chưa? (có/chưa): "))
        answers = replace(answers, consent=reply in ("co", "c", "roi", "da", "yes", "y"))
    return answers


def _accept_or_say(answers: Answers, problems: list[str], say: Say, **value: object) -> Answers:
    for problem in problems:
        say(f"  ✗ {problem}")
    return answers if problems else replace(answers, **value)  # type: ignore[arg-type]


def render_skeleton(profile: NewProfile) -> str:
    """The new `index.md`: required keys filled in, optional ones commented out, summary and story to write."""
    keys = {k.name: k for k in PROFILE_KEYS}
    optional = [keys[name] for name in SKELETON_OPTIONAL]
    return _ENV.get_template("profile.md.j2").render(
        p=profile,
        keys=keys,
        optional=optional,
        needs_consent=profile.kind in profile_key("consent").required_for,
    )


def write_profile(project: Project, profile: NewProfile) -> Path:
    """Create the folder and `index.md`; never overwrite."""
    path = project.root / profile.relative_path
    if path.exists():
        raise NewProfileError(f"tệp {profile.relative_path} đã có. Hãy mở tệp đó để sửa.")
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(render_skeleton(profile))
    return path


def _yaml_scalar(value: str) -> str:
    """A single YAML value, quoted only when needed (a colon, a leading `*`…)."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10_000)
    return dumped.removesuffix("\n").removesuffix("\n...").strip()


def yaml_example(key_name: str, example: str) -> list[str]:
    """A key's example as YAML lines (list items on their own indented line)."""
    if example.startswith("- "):
        return [f"{key_name}:", f"  {example}"]
    return [f"{key_name}: {example}"]


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("build_tools", "templates"),
        autoescape=False,  # YAML and Markdown, not HTML; values are quoted by the `yaml` filter
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(yaml=_yaml_scalar, yaml_example=yaml_example)
    return env


_ENV = _environment()
