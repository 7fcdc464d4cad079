"""A maintainer's story: a plugin option is declared once (a field of `Settings`, content/config.py), and from there
`mkdocs.yml` accepts it, the build reads it, MkDocs alone checks it with the same Vietnamese message, and the README
lists it. Every test here runs over every declared option, so an option added tomorrow is held to all of it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config

from build_tools.content.config import Option, Settings, load_project, plugin_options, read_config_file
from build_tools.content.problems import ContentError
from build_tools.mkdocs.plugin import ExemplarsConfig

from .conftest import MKDOCS_YML, REPO

OPTIONS = list(plugin_options())


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """Only what reading the configuration needs: mkdocs.yml (the test sites' own) and an empty content folder."""
    (tmp_path / "content").mkdir()
    text = MKDOCS_YML.format(theme=REPO / "build_tools" / "theme", page_size=20, feed_items=50)
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    return tmp_path


def _sample_value(option: Option) -> tuple[str, Any]:
    """A value other than the default, as written in mkdocs.yml and as the setting it becomes."""
    if isinstance(option.default, int):
        return str(option.default + 3), option.default + 3
    if option.name == "content_date":
        return "2024-02-29", dt.date(2024, 2, 29)
    return '"https://dang-nhap.example.org/thu"', option.parse("https://dang-nhap.example.org/thu")


def _with_option(site: Path, text: str) -> Path:
    """mkdocs.yml with `text` (`name: value`) among the plugin's options, in place of the fixture's own value."""
    config = site / "mkdocs.yml"
    name = text.split(":")[0]
    lines = [line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith(f"      {name}:")]
    config.write_text("\n".join(lines).replace("  - exemplars:", f"  - exemplars:\n      {text}") + "\n", "utf-8")
    return config


def test_every_option_is_a_setting_with_a_description() -> None:
    names = [option.name for option in OPTIONS]
    assert {"page_size", "feed_items", "licence", "content_date", "cms_auth_url"} <= set(names)
    fields = {field.name: field for field in dataclasses.fields(Settings)}
    for option in OPTIONS:
        assert fields[option.name].default == option.default
        assert option.description.endswith((".", ")")) and len(option.description) > 20


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.name)
def test_an_option_in_mkdocs_yml_reaches_the_settings_and_mkdocs(option: Option, site: Path) -> None:
    written, expected = _sample_value(option)
    config = _with_option(site, f"{option.name}: {written}")
    assert getattr(load_project(site).settings, option.name) == expected
    assert getattr(load_project(site).settings, option.name) != option.default
    loaded = load_config(str(config))
    assert loaded.plugins["exemplars"].config[option.name] == expected


@pytest.mark.parametrize("option", OPTIONS, ids=lambda o: o.name)
def test_a_left_out_option_takes_its_default_in_both(option: Option, site: Path) -> None:
    assert getattr(load_project(site).settings, option.name) == option.default
    loaded = load_config(str(site / "mkdocs.yml"))
    assert loaded.plugins["exemplars"].config[option.name] == option.default


def test_a_wrong_value_is_explained_alike_by_the_build_and_by_mkdocs(site: Path) -> None:
    config = _with_option(site, "feed_items: nhiều")
    with pytest.raises(ContentError) as caught:
        load_project(site)
    (problem,) = caught.value.problems
    line = config.read_text(encoding="utf-8").splitlines().index("      feed_items: nhiều") + 1
    assert (problem.path, problem.line, problem.key) == ("mkdocs.yml", line, "feed_items")
    assert problem.message == "`nhiều` không phải một số nguyên không âm (ví dụ `20`)."
    failed, _ = _checked_by_mkdocs(config)
    assert failed == [("feed_items", "`nhiều` không phải một số nguyên không âm (ví dụ `20`).")]


def _checked_by_mkdocs(config: Path) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The plugin's options as MkDocs checks them (`mkdocs build` fails on an error, in strict mode on a warning)."""
    options = next(p["exemplars"] for p in read_config_file(config)["plugins"] if isinstance(p, dict))
    schema = ExemplarsConfig()
    schema.load_dict(options)
    failed, warnings = schema.validate()
    return [(name, str(error)) for name, error in failed], [(name, str(text)) for name, text in warnings]


def test_an_unknown_option_is_named_with_the_ones_that_exist(site: Path) -> None:
    _with_option(site, "feed_item: 10")
    with pytest.raises(ContentError) as caught:
        load_project(site)
    (problem,) = caught.value.problems
    assert problem.key == "feed_item"
    assert problem.message.startswith("tùy chọn `feed_item` của plugin exemplars không tồn tại. Các tùy chọn có: ")
    assert "`feed_items`" in problem.message
    _, warnings = _checked_by_mkdocs(site / "mkdocs.yml")
    assert [name for name, _ in warnings] == ["feed_item"]


def test_the_readme_lists_every_option_with_its_default_and_description() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Plugin options", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| (.*?) \| (.*) \|$", section, flags=re.MULTILINE)
    expected = [
        (option.name, f"`{option.default}`" if option.default not in (None, "") else "", option.description)
        for option in OPTIONS
    ]
    assert rows == expected, "README.md, “Plugin options”: one row per field of Settings made with option()"
