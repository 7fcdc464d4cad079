"""The `exemplars` command: check, build, serve. Maps problems to exit codes; nothing imports it."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import gc
import logging
import os
import signal
import sys
from pathlib import Path

from .content.config import Project, load_project, parse_site_url
from .content.problems import ContentError, format_github, format_problems

EXIT_OK, EXIT_CONTENT, EXIT_BUILD = 0, 1, 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="exemplars", description="Kiểm tra hồ sơ, tạo và xem trước trang gương điển hình tiên tiến."
    )
    parser.add_argument(
        "--root", type=Path, default=Path.cwd(), help="thư mục gốc của kho (mặc định: thư mục hiện tại)"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="kiểm tra mọi hồ sơ và kế hoạch, báo tất cả lỗi một lần")
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default="text",
        help="`github`: in lỗi thành chú thích (annotation) trên đúng dòng của pull request",
    )
    new = commands.add_parser(
        "new", help="tạo hồ sơ mới đúng mẫu (hỏi từng thông tin nếu không ghi trong lệnh)", description=_NEW_HELP
    )
    new.add_argument("--name", help="tên người, tập thể hoặc hộ gia đình, viết đầy đủ có dấu")
    new.add_argument("--kind", help="ca-nhan | tap-the | ho-gia-dinh")
    new.add_argument("--field", action="append", dest="fields", help="mã lĩnh vực; ghi nhiều lần nếu nhiều lĩnh vực")
    new.add_argument("--province", help="mã tỉnh, thành phố khi được công nhận, ví dụ nam-dinh")
    new.add_argument("--group", default="", help="thư mục nhóm trong exemplars/, ví dụ 2024")
    new.add_argument("--slug", help="đường dẫn (tên thư mục); mặc định tạo từ tên và tỉnh")
    new.add_argument(
        "--consent",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="đã có văn bản đồng ý của người được nêu gương (cá nhân, hộ gia đình)",
    )
    new.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="ngày đăng NĂM-THÁNG-NGÀY (mặc định: hôm nay)"
    )
    docs = commands.add_parser(
        "docs",
        help="cập nhật phần tham chiếu trong CONTRIBUTING.md, biểu mẫu đề xuất và cấu hình trình biên tập /admin/ "
        "từ mẫu hồ sơ",
    )
    docs.add_argument("--check", action="store_true", help="chỉ kiểm tra; báo lỗi nếu tài liệu chưa được cập nhật")
    nomination = commands.add_parser(
        "nomination",
        help="tạo hồ sơ từ một đề xuất (nội dung issue “Đề xuất gương điển hình”), hoặc báo những gì còn thiếu",
    )
    nomination.add_argument("body", type=Path, help="tệp chứa nội dung issue, như GitHub hiển thị")
    nomination.add_argument("--issue", type=int, default=None, help="số của issue, ghi vào hồ sơ và lời nhắn")
    nomination.add_argument("--write", action="store_true", help="ghi hồ sơ vào exemplars/ (mặc định: chỉ in ra)")
    nomination.add_argument("--comment", type=Path, default=None, help="ghi lời nhắn cho issue vào tệp này")
    nomination.add_argument(
        "--date", type=dt.date.fromisoformat, default=None, help="ngày đăng NĂM-THÁNG-NGÀY (mặc định: hôm nay)"
    )
    build = commands.add_parser("build", help="kiểm tra rồi tạo trang vào site/ (giữ nguyên bản cũ nếu có lỗi)")
    build.add_argument("--site-dir", type=Path, default=None, help="thư mục đích (mặc định: site/)")
    build.add_argument(
        "--site-url",
        default=None,
        help="địa chỉ trang sẽ được đăng, nếu khác site_url trong mkdocs.yml (ví dụ trang xem trước của một pull "
        "request: https://…/pr-preview/pr-7/); mọi liên kết tuyệt đối, feed và trang 404 theo địa chỉ này",
    )
    build.add_argument(
        "--preview",
        action="store_true",
        help="trang xem trước của một pull request: mọi trang có dòng báo nội dung chưa được duyệt và không để máy "
        "tìm kiếm đưa vào kết quả",
    )
    build.add_argument(
        "--plain",
        action="store_true",
        help="MkDocs dựng trang đúng như `mkdocs build`, không dùng các cách tăng tốc (chậm hơn, cùng kết quả); "
        "biến môi trường EXEMPLARS_PLAIN=1 cũng vậy",
    )
    build.add_argument(
        "--timings", type=Path, default=None, help="ghi thời gian, CPU và bộ nhớ của từng bước (JSON) vào tệp này"
    )
    links = commands.add_parser(
        "preview-links",
        help="bình luận cho pull request: liên kết tới câu chuyện, kế hoạch, trang đã đổi trên trang xem trước",
    )
    links.add_argument(
        "--pr", type=int, default=None, help="số pull request: trang xem trước ở <site_url>pr-preview/pr-<số>/"
    )
    links.add_argument("--base-url", default=None, help="địa chỉ trang xem trước, nếu không suy ra từ --pr")
    links.add_argument("--changed", nargs="*", default=[], help="các tệp đã thay đổi (đường dẫn trong kho)")
    links.add_argument(
        "--changed-from",
        type=Path,
        default=None,
        help="tệp chứa kết quả `git diff --name-status` (`-`: đọc từ đầu vào)",
    )
    links.add_argument("--fork", action="store_true", help="pull request từ bản sao (fork): không có trang xem trước")
    links.add_argument("--artifact-url", default="", help="liên kết tới lần chạy có tệp trang xem trước để tải về")
    links.add_argument("--print-url", action="store_true", help="chỉ in địa chỉ trang xem trước")
    serve = commands.add_parser("serve", help="xem trước trên máy, tự tải lại khi sửa hồ sơ (hiện cả bản nháp)")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", help="địa chỉ:cổng (mặc định 127.0.0.1:8000)")
    for command in (check, build, serve):
        command.add_argument(
            "-q",
            "--quiet",
            action="store_true",
            help="không in tiến độ từng bước (lỗi vẫn được in)",
        )
    _add_deploy_parser(commands)
    for command in (build, serve):
        command.add_argument(
            "--workers",
            type=int,
            default=None,
            help="số tiến trình chạy song song (mặc định: số lõi CPU, hoặc biến môi trường EXEMPLARS_WORKERS)",
        )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        project = load_project(args.root)
    except ContentError as error:
        print(format_problems(error.problems), file=sys.stderr)
        return EXIT_CONTENT

    if args.command == "check":
        from .content.gather import check
        from .engine.progress import output_mode, showing_progress

        try:
            with showing_progress(output_mode(sys.stderr, args.quiet)) as timings:
                catalogue = check(project, timings=timings)
        except ContentError as error:
            if args.format == "github":
                # Workflow commands are read from stdout; the count goes to the log as well.
                print(format_github(error.problems))
            else:
                print(format_problems(error.problems), file=sys.stderr)
            return EXIT_CONTENT
        if not args.quiet:
            print(f"Không có lỗi: {len(catalogue.exemplars)} hồ sơ, {len(catalogue.plans)} kế hoạch.")
        return EXIT_OK

    if args.command == "new":
        return run_new(project, args, today=args.date or dt.date.today())

    if args.command == "nomination":
        return run_nomination(project, args, today=args.date or dt.date.today())

    if args.command == "docs":
        return run_docs(project, check_only=args.check)

    if args.command == "build":
        site_url = None
        if args.site_url is not None:
            try:
                site_url = parse_site_url(args.site_url)
            except ValueError as error:
                print(f"--site-url: {error}", file=sys.stderr)
                return EXIT_BUILD
        return run_build(
            project,
            args.site_dir,
            workers=args.workers,
            timings_path=args.timings,
            site_url=site_url,
            preview=args.preview,
            plain=args.plain,
            quiet=args.quiet,
        )

    if args.command == "preview-links":
        return run_preview_links(project, args)

    if args.command == "deploy":
        return run_deploy(project, args)

    if args.command == "serve":
        from .engine.progress import output_mode
        from .mkdocs.preview import serve

        if not args.quiet:
            for name in ("mkdocs", "exemplars"):
                logging.getLogger(name).setLevel(logging.INFO)
        serve(project, args.dev_addr, workers=args.workers, progress=output_mode(sys.stderr, args.quiet))
        return EXIT_OK
    return EXIT_BUILD


_NEW_HELP = (
    "Tạo exemplars/<đường-dẫn>/index.md với các trường bắt buộc đã điền, đúng mã lĩnh vực và tỉnh. "
    "Thiếu thông tin nào thì lệnh hỏi (khi chạy trong cửa sổ dòng lệnh). Ví dụ: exemplars new "
    '--name "Nguyễn Thị Hương" --kind ca-nhan --field day-tot-hoc-tot --province nam-dinh --consent'
)


def run_new(project: Project, args: argparse.Namespace, today: dt.date) -> int:
    """`exemplars new`: the one place where the clock is read, for the `published` date of a new profile."""
    from .content.gather import load_taxonomies
    from .content.schema.keys import profile_key
    from .content.schema.vocabulary import Vocabulary
    from .content.text import nfc
    from .site.scaffold import (
        Answers,
        NewProfile,
        NewProfileError,
        ask_answers,
        check_answers,
        check_group,
        check_slug,
        claimed_slugs,
        resolve_field,
        resolve_kind,
        resolve_province,
        suggest_slug,
        write_profile,
    )

    fields, provinces, problems = load_taxonomies(project)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_CONTENT
    plan_ids = sorted(p.stem for p in project.plans_dir.glob("*.yml") if p.stem not in ("fields", "provinces"))
    vocabulary = Vocabulary(fields, provinces, plan_ids)
    answers = Answers(
        name=nfc((args.name or "").strip()),
        kind=resolve_kind(args.kind) if args.kind else "",
        fields=tuple(resolve_field(f, vocabulary) for f in args.fields or ()),
        province=resolve_province(args.province, vocabulary) if args.province else "",
        consent=args.consent,
    )
    if answers.missing and sys.stdin.isatty():
        try:
            answers = ask_answers(input, print, vocabulary, answers)
        except (EOFError, KeyboardInterrupt):
            print("\nĐã hủy, chưa tạo hồ sơ nào.", file=sys.stderr)
            return EXIT_CONTENT
    elif answers.missing:
        options = ", ".join(f"--{'field' if key == 'fields' else key}" for key in answers.missing)
        print(
            f"Chưa tạo hồ sơ: thiếu {options}. Ghi các thông tin này trong lệnh, hoặc chạy lệnh trong cửa sổ "
            "dòng lệnh để được hỏi từng mục.",
            file=sys.stderr,
        )
        return EXIT_CONTENT
    slug = args.slug or suggest_slug(answers.name, answers.province)
    group = args.group.strip("/")
    messages = check_answers(answers.name, answers.kind, answers.fields, answers.province, vocabulary, project.root)
    messages += [f"group: {m}" for m in check_group(group)]
    if not messages:  # a slug made from a wrong province would only repeat the province's problem
        messages = [f"slug: {m}" for m in check_slug(slug, claimed_slugs(project))]
    if messages:
        for message in messages:
            print(f"Chưa tạo hồ sơ: {message}", file=sys.stderr)
        return EXIT_CONTENT
    consent = bool(answers.consent)
    profile = NewProfile(answers.name, answers.kind, answers.fields, answers.province, slug, today, consent, group)
    try:
        path = write_profile(project, profile)
    except NewProfileError as error:
        print(f"Chưa tạo hồ sơ: {error}", file=sys.stderr)
        return EXIT_CONTENT
    print(f"Đã tạo {project.shown(path)}")
    print("Tiếp theo:")
    print("  1. Viết phần tóm tắt (summary) và câu chuyện bên dưới dòng `---` thứ hai.")
    print("  2. Ghi căn cứ để bạn đọc kiểm chứng: khen thưởng kèm số quyết định (awards) hoặc bài báo (sources).")
    print(f"  3. Nếu có ảnh, chép ảnh vào {project.shown(path.parent)}/ và điền trường photo.")
    if answers.kind in profile_key("consent").required_for and not consent:
        print("  !  Chưa có văn bản đồng ý: khi đã có, đổi `consent: false` thành `consent: true`.")
    print("  4. Chạy `bash tasks.sh check` để kiểm tra, `bash tasks.sh serve` để xem trước.")
    return EXIT_OK


def run_nomination(project: Project, args: argparse.Namespace, today: dt.date) -> int:
    """`exemplars nomination`: the workflow's step between a maintainer's `/tao-ho-so` and the draft pull request.

    Exit 0 when a profile was made (its path on stdout), 1 when the proposal must be fixed first; either way the
    Vietnamese answer for the issue goes to `--comment`.
    """
    from .content.gather import load_taxonomies
    from .content.schema.vocabulary import Vocabulary
    from .site.nomination import build_nomination, form_labels, parse_issue_body, render_comment, write_nomination

    fields, provinces, problems = load_taxonomies(project)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_CONTENT
    try:
        body = args.body.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"Không đọc được tệp {args.body}: {error}", file=sys.stderr)
        return EXIT_CONTENT
    plan_ids = sorted(p.stem for p in project.plans_dir.glob("*.yml") if p.stem not in ("fields", "provinces"))
    nomination = parse_issue_body(body, form_labels(fields.values(), provinces.values()))
    result = build_nomination(project, Vocabulary(fields, provinces, plan_ids), nomination, today, args.issue)
    comment = render_comment(result, args.issue)
    if args.comment is not None:
        args.comment.write_text(comment, encoding="utf-8")
    if result.blocked:
        print(comment, file=sys.stderr)
        return EXIT_CONTENT
    if args.write:
        try:
            write_nomination(project, result)
        except FileExistsError:
            print(f"Chưa tạo hồ sơ: tệp {result.path} đã có.", file=sys.stderr)
            return EXIT_CONTENT
        print(result.path)
    else:
        print(result.text, end="")
    return EXIT_OK


KEPT = "Chưa tạo trang: thư mục site/ được giữ nguyên như lần tạo thành công trước."
EXIT_INTERRUPTED = 130


def run_build(
    project: Project,
    site_dir: Path | None,
    *,
    workers: int | None = None,
    timings_path: Path | None = None,
    site_url: str | None = None,
    preview: bool = False,
    plain: bool = False,
    quiet: bool = False,
) -> int:
    """`exemplars build`: every way a build can fail ends in a Vietnamese message, never a bare traceback.

    Whatever happened, `site/` is the last good site (publish.py); the message says what to do next. Each stage
    is shown as it runs (engine/progress.py: a live display on a terminal, a line per stage in a pipe or CI,
    nothing with `quiet`, which leaves out the last line too: the exit status says it).
    """
    from jinja2 import TemplateError

    from .build import build_site
    from .engine.parallel import LostProcess
    from .engine.progress import output_mode, showing_progress
    from .engine.publish import BuildBusy
    from .engine.timings import Timings
    from .mkdocs.render import MkDocsException
    from .site.sharecard import MissingFont

    # CI cancelling a job sends SIGTERM: stop as cleanly as on Ctrl+C. (Only the main thread may set handlers.)
    previous = None
    with contextlib.suppress(ValueError):
        previous = signal.signal(signal.SIGTERM, _interrupt)
    timings = Timings() if timings_path else None
    try:
        # The display ends before any message below is printed.
        with showing_progress(output_mode(sys.stderr, quiet), timings) as shown:
            site = build_site(
                project, site_dir, workers=workers, timings=shown, site_url=site_url, preview=preview, plain=plain
            )
    except ContentError as error:
        print(format_problems(error.problems), file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_CONTENT
    except KeyboardInterrupt:
        print(f"\nĐã dừng theo yêu cầu. {KEPT}", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BuildBusy as error:
        print(f"Chưa tạo trang: {error}", file=sys.stderr)
        return EXIT_BUILD
    except MissingFont as error:
        print(error, file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_BUILD
    except TemplateError as error:
        print(f"Lỗi trong mẫu giao diện: {_describe_template_error(error, project)}", file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_BUILD
    except MkDocsException as error:
        print(f"MkDocs báo lỗi: {error}", file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_BUILD
    except LostProcess as error:  # killed (memory ran out, someone): which stage, what to do
        print(error, file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_BUILD
    except OSError as error:
        print(_describe_os_error(error), file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_BUILD
    except Exception as error:
        print(
            "Lỗi không mong đợi khi tạo trang; đây là lỗi của công cụ, không phải của hồ sơ. Hãy báo cho nhóm kỹ "
            "thuật, kèm dòng chi tiết dưới đây và lệnh đã chạy.",
            file=sys.stderr,
        )
        print(f"Chi tiết: {type(error).__name__}: {error}", file=sys.stderr)
        print(KEPT, file=sys.stderr)
        return EXIT_BUILD
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if timings is not None and timings_path is not None:
        timings.write_json(timings_path)
    if not quiet:
        print(f"Đã tạo trang vào {site}")
    return EXIT_OK


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _describe_template_error(error: Exception, project: Project) -> str:
    """`build_tools/theme/main.html, dòng 3: …`: the file and line a designer must open.

    A syntax error names them itself; for an error while rendering, Jinja puts the template's file and line in
    the traceback, and the innermost template frame is the one at fault.
    """
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename is None:
        traceback = error.__traceback__
        while traceback is not None:
            if traceback.tb_frame.f_code.co_filename.endswith((".html", ".j2", ".xml")):
                filename, line = traceback.tb_frame.f_code.co_filename, traceback.tb_lineno
            traceback = traceback.tb_next
    where = ""
    if filename:
        path = Path(filename)
        with contextlib.suppress(ValueError):
            path = path.resolve().relative_to(project.root)
        where = path.as_posix() + (f", dòng {line}" if line else "") + ": "
    message = getattr(error, "message", None) or str(error)
    return f"{where}{message}. Hãy sửa mẫu rồi chạy lại."


def _describe_os_error(error: OSError) -> str:
    where = f" {error.filename}" if error.filename else ""
    if error.errno == errno.ENOSPC:
        return f"Ổ đĩa đã đầy khi ghi{where}. Hãy giải phóng dung lượng (ví dụ xóa thư mục .cache/) rồi chạy lại."
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không có quyền ghi{where}. Hãy kiểm tra quyền của thư mục rồi chạy lại."
    return f"Lỗi đọc, ghi tệp{where}: {error.strerror or error}. Hãy kiểm tra ổ đĩa, thư mục rồi chạy lại."


def _add_deploy_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    deploy = commands.add_parser(
        "deploy",
        help="đăng trang đã tạo (site/) lên kho lưu trữ đối tượng (S3, R2, B2, GCS, Azure…) bằng rclone: chỉ gửi tệp "
        "đã đổi, xóa tệp cũ sau cùng",
        description=_DEPLOY_HELP,
    )
    deploy.add_argument(
        "remote",
        help="kho đích viết theo rclone: tên kho đã cấu hình và thư mục (kho:bucket/trang), hoặc kho tạm "
        "(:s3,provider=AWS,env_auth=true:bucket)",
    )
    deploy.add_argument(
        "--dry-run", action="store_true", help="chỉ in kế hoạch: tệp nào sẽ được gửi và vì sao, tệp nào sẽ bị xóa"
    )
    deploy.add_argument("--site-dir", type=Path, default=None, help="thư mục trang đã tạo (mặc định: site/)")
    deploy.add_argument(
        "--compress",
        choices=("none", "gzip"),
        default="none",
        help="`gzip`: lưu tệp chữ (HTML, CSS, JS, JSON, XML, CSV, SVG) đã nén, kèm Content-Encoding: gzip, cho kho "
        "phục vụ thẳng tới bạn đọc (S3/GCS website); mặc định `none`: để CDN nén khi gửi",
    )


_DEPLOY_HELP = (
    "Đăng trang trong site/ lên kho lưu trữ đối tượng bằng rclone. Chỉ gửi tệp mới hoặc đã đổi nội dung (so mã "
    "băm); gửi tệp tĩnh trước, rồi trang câu chuyện, các trang khác, chỉ mục tìm kiếm, feed và dữ liệu, cuối cùng "
    "trang chủ; tệp không còn trong site/ chỉ bị xóa khi mọi tệp mới đã lên kho. Khóa truy cập đọc từ cấu hình "
    "rclone hoặc biến môi trường (RCLONE_CONFIG_<TÊN>_…, AWS_…), không bao giờ được in ra."
)


def run_deploy(project: Project, args: argparse.Namespace) -> int:
    """`exemplars deploy`: every failure ends in a Vietnamese message; an interrupted deploy is finished by a rerun."""
    from .engine.deploy import DeployError, find_rclone, format_plan, plan_deploy, source_tree, summary
    from .engine.deploy import run_deploy as deploy_site
    from .engine.publish import BuildBusy

    site_dir = (args.site_dir or project.root / "site").resolve()
    try:
        rclone = find_rclone()
        with source_tree(site_dir, args.compress) as source:
            plan = plan_deploy(source, args.remote, compression=args.compress, rclone=rclone)
            if args.dry_run:
                print(format_plan(plan))
                return EXIT_OK
            _say(summary(plan).replace("Tổng cộng", f"Đăng trang lên {plan.remote}", 1))
            report = deploy_site(source, args.remote, plan, rclone=rclone, say=_say)
    except DeployError as error:
        print(f"Chưa đăng xong: {error}", file=sys.stderr)
        print(DEPLOY_KEPT, file=sys.stderr)
        return EXIT_BUILD
    except BuildBusy as error:
        print(f"Chưa đăng trang: {error}", file=sys.stderr)
        return EXIT_BUILD
    except KeyboardInterrupt:
        print(f"\nĐã dừng theo yêu cầu. {DEPLOY_KEPT}", file=sys.stderr)
        return EXIT_INTERRUPTED
    print(
        f"Đã đăng trang lên {report.plan.remote}: tải lên {len(report.uploaded)} tệp, xóa {len(report.deleted)} tệp, "
        f"giữ nguyên {report.plan.unchanged} tệp."
    )
    return EXIT_OK


def _say(line: str) -> None:
    print(line, flush=True)  # before rclone's errors on stderr, in a CI log too


DEPLOY_KEPT = (
    "Trang trên kho vẫn đầy đủ: tệp cũ chỉ bị xóa sau khi mọi tệp mới đã lên kho, nên bạn đọc chỉ gặp bản cũ "
    "hoặc bản mới. Chạy lại lệnh để đăng tiếp."
)


def run_preview_links(project: Project, args: argparse.Namespace) -> int:
    """`exemplars preview-links`: the pull request's comment, printed for the workflow to post."""
    from .site.previewlinks import build_preview_links, parse_changes, preview_url, render_comment

    if args.base_url:
        try:
            base_url = parse_site_url(args.base_url)
        except ValueError as error:
            print(f"--base-url: {error}", file=sys.stderr)
            return EXIT_BUILD
    elif args.pr is not None:
        base_url = preview_url(project.settings.site_url, args.pr)
    else:
        print("Cần --pr <số pull request> hoặc --base-url <địa chỉ trang xem trước>.", file=sys.stderr)
        return EXIT_BUILD
    if args.print_url:
        print(base_url)
        return EXIT_OK
    lines = list(args.changed)
    if args.changed_from is not None:
        text = sys.stdin.read() if str(args.changed_from) == "-" else args.changed_from.read_text(encoding="utf-8")
        lines += text.splitlines()
    links = build_preview_links(project.root, base_url, parse_changes(lines))
    print(render_comment(links, fork=args.fork, artifact_url=args.artifact_url), end="")
    return EXIT_OK


def run_docs(project: Project, check_only: bool) -> int:
    from .content.gather import load_taxonomies
    from .site.contributing import DocsError, expected_docs, stale_docs, write_docs

    fields, provinces, problems = load_taxonomies(project)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return EXIT_CONTENT
    try:
        expected = expected_docs(project, fields.values(), provinces.values())
    except DocsError as error:
        print(error, file=sys.stderr)
        return EXIT_CONTENT
    if check_only:
        stale = stale_docs(project, expected)
        for path in stale:
            print(f"{path}: chưa khớp với mẫu hồ sơ. Chạy `exemplars docs` rồi commit tệp này.", file=sys.stderr)
        return EXIT_CONTENT if stale else EXIT_OK
    for path in write_docs(project, expected):
        print(f"Đã cập nhật {path}")
    return EXIT_OK


def run() -> None:
    """The `exemplars` command: `main`, then leave without tearing down what a build holds (a large site is
    hundreds of megabytes of Python objects, freed one by one for nothing when the process ends anyway)."""
    # A build makes millions of objects that live until it ends; at the default threshold (700) the collector
    # would walk them over and over (a tenth of a 10,000-story build). Cycles are still collected, less often.
    gc.set_threshold(100_000, 50, 1000)
    try:
        code = main()
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
