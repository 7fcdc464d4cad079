"""Project layout and the site settings read from `mkdocs.yml` (the `exemplars` plugin's options)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.utils.yaml import yaml_load

from .problems import ContentError, Problem

DEFAULT_LICENCE = "CC BY 4.0"
DEFAULT_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.vi"


@dataclass(frozen=True)
class Settings:
    site_name: str
    site_url: str
    """Absolute URL of the site root, ending in `/` (feeds and cards need absolute links)."""
    site_description: str = ""
    page_size: int = 20
    """Stories per page of the archive."""
    feed_items: int = 50
    """Items per feed, newest first."""
    licence: str = DEFAULT_LICENCE
    licence_url: str = DEFAULT_LICENCE_URL
    credit: str = ""
    """Credit line a newsroom prints; defaults to "Nguồn: <site name>"."""
    repo_url: str = ""
    edit_uri: str = ""
    feed_id_domain: str = ""
    """Domain in the feed item ids (`tag:` URIs); empty means the host of `site_url`. After moving the site to a
    new domain, set it to the old one so that newsrooms' readers do not see every story again as new."""
    cms_auth_url: str = ""
    """Address of the OAuth proxy the organisation runs for the form editor's GitHub sign-in (Decap's `base_url`);
    empty until one is set up (CONTRIBUTING.md says how)."""
    content_date: dt.date | None = None
    """The day plan progress and statistics are stated as of; None means the newest date in the content.

    Never the clock: two builds of one commit must give identical pages.
    """

    @property
    def credit_line(self) -> str:
        return self.credit or f"Nguồn: {self.site_name}"

    @property
    def id_domain(self) -> str:
        return self.feed_id_domain or (urlsplit(self.site_url).hostname or "localhost")


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


def _content_date(root: Path, options: dict[str, Any]) -> dt.date | None:
    override = os.environ.get(CONTENT_DATE_VARIABLE, "").strip()
    if override:
        try:
            return parse_content_date(override)
        except ValueError as error:
            raise ContentError([Problem(CONTENT_DATE_VARIABLE, None, "content_date", str(error))]) from None
    try:
        return parse_content_date(options.get("content_date"))
    except ValueError as error:
        text = (root / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
        line = next((n for n, row in enumerate(text, start=1) if row.strip().startswith("content_date:")), None)
        raise ContentError([Problem("mkdocs.yml", line, "content_date", str(error))]) from None


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
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        config: dict[str, Any] = yaml_load(handle) or {}
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
            page_size=int(options.get("page_size", 20)),
            feed_items=int(options.get("feed_items", 50)),
            licence=str(options.get("licence", DEFAULT_LICENCE)),
            licence_url=str(options.get("licence_url", DEFAULT_LICENCE_URL)),
            credit=str(options.get("credit", "")),
            repo_url=str(config.get("repo_url", "") or ""),
            edit_uri=str(config.get("edit_uri", "") or ""),
            feed_id_domain=str(options.get("feed_id_domain", "") or ""),
            cms_auth_url=str(options.get("cms_auth_url", "") or "").rstrip("/"),
            content_date=_content_date(root, options),
        ),
    )
