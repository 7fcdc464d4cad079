"""The `exemplars` command: check, build, serve. Maps problems to exit codes; nothing imports it."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .config import load_project
from .problems import ContentError, format_problems

EXIT_OK, EXIT_CONTENT, EXIT_BUILD = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="exemplars", description="Kiểm tra hồ sơ, tạo và xem trước trang gương điển hình tiên tiến."
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="thư mục gốc của kho (mặc định: thư mục hiện tại)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="kiểm tra mọi hồ sơ và kế hoạch, báo tất cả lỗi một lần")
    build = commands.add_parser("build", help="kiểm tra rồi tạo trang vào site/ (giữ nguyên bản cũ nếu có lỗi)")
    build.add_argument("--site-dir", type=Path, default=None, help="thư mục đích (mặc định: site/)")
    serve = commands.add_parser("serve", help="xem trước trên máy, tự tải lại khi sửa hồ sơ (hiện cả bản nháp)")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        project = load_project(args.root)
    except ContentError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return EXIT_CONTENT

    if args.command == "check":
        from .build import check

        try:
            catalogue = check(project)
        except ContentError as error:
            print(format_problems(error.problems), file=sys.stderr)
            return EXIT_CONTENT
        print(f"Không có lỗi: {len(catalogue.exemplars)} hồ sơ, {len(catalogue.plans)} kế hoạch.")
        return EXIT_OK

    if args.command == "build":
        from mkdocs.exceptions import MkDocsException

        from .build import build_site

        try:
            site = build_site(project, args.site_dir)
        except ContentError as error:
            print(format_problems(error.problems), file=sys.stderr)
            print("Chưa tạo trang: thư mục site/ được giữ nguyên như lần tạo thành công trước.", file=sys.stderr)
            return EXIT_CONTENT
        except MkDocsException as error:
            print(f"MkDocs báo lỗi: {error}", file=sys.stderr)
            print("Chưa tạo trang: thư mục site/ được giữ nguyên như lần tạo thành công trước.", file=sys.stderr)
            return EXIT_BUILD
        print(f"Đã tạo trang vào {site}")
        return EXIT_OK

    if args.command == "serve":
        from mkdocs.commands.serve import serve

        logging.getLogger("mkdocs").setLevel(logging.INFO)
        serve(config_file=str(project.config_file), dev_addr=args.dev_addr, livereload=True)
        return EXIT_OK
    return EXIT_BUILD


if __name__ == "__main__":
    sys.exit(main())
