"""Project layout and the site settings read from `mkdocs.yml` (the `exemplars` plugin's options).

Each plugin option is declared once, as a field of `Settings` made with `option()`: its default, its rule (how a
value from mkdocs.yml is checked and converted, with the Vietnamese message when it is wrong) and its description.
`load_project` reads the options through those rules; the MkDocs plugin builds its configuration schema from the
same fields (build_tools/mkdocs/plugin.py), and the README's table of options is checked against them
(tests/test_settings.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
import yaml_env_tag

from .problems import ContentError, Problem

DEFAULT_LICENCE = "CC BY 4.0"
DEFAULT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.vi"


@dataclass(frozen=True)
class Option:
    """What a plugin option is: everything the plugin schema, the settings reader and the README table need."""

    name: str
    default: Any
    parse: Callable[[object], Any]
    """A value read from mkdocs.yml → the setting; raises ValueError with the rule, in Vietnamese, otherwise."""
    description: str


def _whole_number(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    raise ValueError(f"`{value}` không phải một số nguyên không âm (ví dụ `20`).")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    raise ValueError(f"`{value}` không phải một đoạn chữ; hãy đặt giá trị trong dấu ngoặc kép.")


def _address(value: object) -> str:
    """An address without its final `/` (Decap adds its own paths to it)."""
    return _text(value).rstrip("/")


def option(default: Any, parse: Callable[[object], Any], description: str) -> Any:
    """A `Settings` field that is an option of the `exemplars` plugin in mkdocs.yml."""
    return dataclasses.field(default=default, metadata={"option": (parse, description)})


CONTENT_DATE_RULE = (
    "`content_date` là ngày chốt số liệu cho trang kế hoạch và thống kê, viết dạng `2025-06-30`; "
    "bỏ trống để dùng ngày đăng mới nhất của các hồ sơ."
)


def parse_content_date(value: object) -> dt.date | None:
    """`2025-06-30` (YAML date or text) → date; None when absent. Raises ValueError with the rule otherwise."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValueError(f"ngày `{value}` không hợp lệ. {CONTENT_DATE_RULE}")


CONTENT_DATE_VARIABLE = "EXEMPLARS_CONTENT_DATE"
"""Environment variable that overrides `content_date`: the deploy workflow sets it to the day it builds, so the
live site states its numbers as of that day while a build for a given date stays reproducible."""


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str
    """Absolute URL of the site root, ending in `/` (feeds and cards need absolute links)."""
    site_description: str = ""
    repo_url: str = ""
    edit_uri: str = ""
    # The plugin's options (`plugins: - exemplars: …` in mkdocs.yml), in the order the README lists them.
    page_size: int = option(20, _whole_number, "Stories per page of the archive (`/nguoi-tot-viec-tot/`).")
    feed_items: int = option(50, _whole_number, "Items per feed, newest first.")
    licence: str = option(DEFAULT_LICENCE, _text, "Reuse licence named in every feed item and on `/bao-chi/`.")
    licence_url: str = option(DEFAULT_LICENCE_URL, _text, "Address of the licence's text.")
    credit: str = option("", _text, "Credit line a newsroom prints; empty: “Nguồn: <site name>”.")
    feed_id_domain: str = option(
        "",
        _text,
        "Domain in the feed item ids (`tag:` URIs); empty: the host of `site_url`. After moving the site to a new "
        "domain, set it to the old one so that newsrooms' readers do not see every story again as new.",
    )
    content_date: dt.date | None = option(  # noqa: RUF009 (a dataclasses.field, as the others)
        None,
        parse_content_date,
        "The day plan progress and statistics are stated as of (`2025-06-30`), never the clock; empty: the newest "
        "date in the content. The environment variable `EXEMPLARS_CONTENT_DATE` overrides it.",
    )
    cms_auth_url: str = option(
        "",
        _address,
        "Address of the organisation's OAuth proxy for the form editor's GitHub sign-in (Decap's `base_url`); "
        "empty until one is set up (CONTRIBUTING.md says how).",
    )

    @property
    def credit_line(self) -> str:
        return self.credit or f"Nguồn: {self.site_name}"

    @property
    def id_domain(self) -> str:
        return self.feed_id_domain or (urlsplit(self.site_url).hostname or "localhost")


def plugin_options() -> Iterator[Option]:
    """Every option of the `exemplars` plugin, in declaration order."""
    for item in dataclasses.fields(Settings):
        if "option" in item.metadata:
            parse, description = item.metadata["option"]
            yield Option(item.name, item.default, parse, description)


@dataclass(frozen=True)
class Project:
    """Where everything lives; tests build throwaway projects with the same layout."""

    root: Path
    settings: Settings

    @property
    def exemplars_dir(self) -> Path:
        return self.root / "exemplars"

    @property
    def plans_dir(self) -> Path:
        return self.root / "plans"

    @property
    def docs_dir(self) -> Path:
        return self.root / "content"

    @property
    def generated_dir(self) -> Path:
        """Git-ignored; outside `docs_dir`, so MkDocs never walks its tens of thousands of files only to exclude
        them: the plugin adds them to the build itself."""
        return self.root / ".generated"

    @property
    def former_generated_dir(self) -> Path:
        """Where generated files were kept before (inside `docs_dir`): removed by the next build."""
        return self.docs_dir / ".generated"

    @property
    def cache_dir(self) -> Path:
        return self.root / ".cache"

    @property
    def config_file(self) -> Path:
        return self.root / "mkdocs.yml"

    def shown(self, path: Path) -> str:
        """Path as messages show it: relative to the repository, forward slashes."""
        return path.relative_to(self.root).as_posix()


class _SettingsLoader(yaml.SafeLoader):
    """PyYAML's safe loader with MkDocs' own tags: `!ENV` (an environment variable) is resolved as MkDocs does,
    with its own small library; `!relative` and Python names (`!!python/name:…`, a Markdown extension's function)
    matter only to MkDocs and are read as nothing. No MkDocs import: the settings are read before MkDocs runs."""


def _ignored_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> None:
    return None


_SettingsLoader.add_constructor("!ENV", yaml_env_tag.construct_env_tag)
_SettingsLoader.add_multi_constructor("!relative", _ignored_tag)
_SettingsLoader.add_multi_constructor("tag:yaml.org,2002:python/", _ignored_tag)


def read_config_file(path: Path) -> dict[str, Any]:
    """mkdocs.yml as data (what `load_project` and `exemplars docs` read of it)."""
    with open(path, encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_SettingsLoader)
    return data if isinstance(data, dict) else {}


def _option_line(root: Path, name: str) -> int | None:
    text = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    return next((n for n, row in enumerate(text, start=1) if row.strip().startswith(f"{name}:")), None)


def _read_options(root: Path, options: dict[str, Any]) -> dict[str, Any]:
    """The plugin options of mkdocs.yml through each option's rule; every problem at once, with its line."""
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    declared = {item.name: item for item in plugin_options()}
    for name in options:
        if name not in declared:
            known = ", ".join(f"`{n}`" for n in declared)
            problems.append(
                Problem(
                    "mkdocs.yml",
                    _option_line(root, name),
                    str(name),
                    f"tùy chọn `{name}` của plugin exemplars không tồn tại. Các tùy chọn có: {known}.",
                )
            )
    for name, item in declared.items():
        if name not in options:
            continue
        try:
            values[name] = item.parse(options[name])
        except ValueError as error:
            problems.append(Problem("mkdocs.yml", _option_line(root, name), name, str(error)))
    override = os.environ.get(CONTENT_DATE_VARIABLE, "").strip()
    if override:
        try:
            values["content_date"] = parse_content_date(override)
        except ValueError as error:
            problems.append(Problem(CONTENT_DATE_VARIABLE, None, "content_date", str(error)))
    if problems:
        raise ContentError(problems)
    return values


SITE_URL_RULE = (
    "địa chỉ trang phải là một URL đầy đủ bắt đầu bằng https:// hoặc http://, ví dụ "
    "`https://to-chuc.github.io/guong-dien-hinh/pr-preview/pr-7/`."
)


def parse_site_url(text: str) -> str:
    """`https://host/sub/path` → `https://host/sub/path/`: the form every absolute link is made from.

    Raises ValueError with the rule: a preview built for a wrong address would link readers nowhere.
    """
    value = text.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ValueError(f"`{text}` không dùng được: {SITE_URL_RULE}")
    return value if value.endswith("/") else value + "/"


def with_site_url(project: Project, site_url: str) -> Project:
    """The project as built for another address (a pull request's preview under a sub-path): links, feeds, share
    cards and the 404 page are made for that address instead of `site_url` in mkdocs.yml."""
    return replace(project, settings=replace(project.settings, site_url=parse_site_url(site_url)))


def load_project(root: Path) -> Project:
    root = root.resolve()
    config = read_config_file(root / "mkdocs.yml")
    options: dict[str, Any] = {}
    for plugin in config.get("plugins") or ():
        if isinstance(plugin, dict) and "exemplars" in plugin:
            options = plugin["exemplars"] or {}
    site_url = str(config.get("site_url") or "http://127.0.0.1:8000/")
    return Project(
        root,
        Settings(
            site_name=str(config.get("site_name", "")),
            site_url=site_url if site_url.endswith("/") else site_url + "/",
            site_description=str(config.get("site_description", "")),
            repo_url=str(config.get("repo_url", "") or ""),
            edit_uri=str(config.get("edit_uri", "") or ""),
            **_read_options(root, options),
        ),
    )
