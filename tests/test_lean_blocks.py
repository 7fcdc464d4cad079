"""The drawer every story page repeats, made lean (build_tools/mkdocs/lean_blocks.py): what is cut is what the tabs
and the header already send, and a drawer whose markup a theme update moved is never cut in the wrong place.

What a reader then sees of the drawer (reader.js fills it from the tabs) is walked in tests/test_phone_reader.py.
"""

from __future__ import annotations

from build_tools.mkdocs.lean_blocks import lean_nav, lean_tabs

DRAWER = """
<div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation">
  <div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
    <nav class="md-nav md-nav--primary md-nav--lifted" aria-label="Thanh điều hướng" data-md-level="0">
      <label class="md-nav__title" for="__drawer">
        <a href="../.." class="md-nav__button md-logo">Logo</a>
        Gương điển hình tiên tiến
      </label>
      <div class="md-nav__source">
        <a href="https://github.com/example/guong-dien-hinh" class="md-source">GitHub</a>
      </div>
      <ul class="md-nav__list" data-md-scrollfix>
        <li class="md-nav__item">
          <a href="../../linh-vuc/" class="md-nav__link">
            <span class="md-ellipsis"> Lĩnh vực </span>
          </a>
        </li>
      </ul>
    </nav>
  </div></div>
</div>
"""
EMPTIED = (
    '<div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation"><div'
    ' class="md-sidebar__scrollwrap"><div class="md-sidebar__inner"><nav class="md-nav md-nav--primary'
    ' md-nav--lifted" aria-label="Thanh điều hướng" data-md-level="0"><label class="md-nav__title"'
    ' for="__drawer"></label><div class="md-nav__source"></div><ul class="md-nav__list" data-md-scrollfix></ul>'
    "</nav></div></div></div>"
)


def test_a_story_pages_drawer_keeps_its_frame_and_leaves_its_sections_title_and_link_to_the_tabs_and_header() -> None:
    assert lean_nav(DRAWER, ["navigation.tabs"]) == EMPTIED


def test_without_tabs_the_drawer_keeps_its_sections() -> None:
    lean = lean_nav(DRAWER, [])
    assert '<a href="../../linh-vuc/" class="md-nav__link">Lĩnh vực</a>' in lean
    assert "Gương điển hình tiên tiến" in lean and "GitHub" in lean


def test_a_drawer_whose_markup_moved_is_left_whole_but_for_its_spaces() -> None:
    moved = DRAWER.replace(" data-md-scrollfix", "")  # a theme update renamed the list's marker
    lean = lean_nav(moved, ["navigation.tabs"])
    assert "Lĩnh vực" in lean and "Gương điển hình tiên tiến" in lean and "GitHub" in lean
    assert "  " not in lean and "\n" not in lean


def test_a_nested_drawer_keeps_its_labels_wrapped() -> None:
    nested = DRAWER.replace("</a>\n        </li>", '</a><span class="md-nav__icon"></span>\n        </li>')
    lean = lean_nav(nested, ["navigation.tabs"])
    assert '<span class="md-ellipsis">Lĩnh vực</span>' in lean


def test_tabs_lose_their_items_class_and_inner_spaces_only() -> None:
    tabs = """<ul class="md-tabs__list">
      <li class="md-tabs__item">
        <a href="../../" class="md-tabs__link"> Trang chủ </a>
      </li>
    </ul>"""
    assert (
        lean_tabs(tabs)
        == '<ul class="md-tabs__list"><li><a href="../../" class="md-tabs__link">Trang chủ</a></li></ul>'
    )
