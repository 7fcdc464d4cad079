"""A deterministic corpus of N synthetic but realistic Vietnamese profiles, in the real profile format.

The same seed and N always give byte-identical files, so benchmark runs compare like with like. Names follow the
real distribution of family names (Nguyễn ≈ 38 %), kinds are mostly individuals, provinces are the 63 recorded
before July 2025, stories are 300–600 words assembled from field-specific sentences with varied places, numbers
and people, and one profile in `photo_every` has a photo.

    python -m benchmarks.corpus /tmp/corpus 1000       # write a project with 1,000 profiles
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from build_tools.content.text import slugify

REPO = Path(__file__).resolve().parents[1]

SURNAMES = (
    ("Nguyễn", 38), ("Trần", 11), ("Lê", 9), ("Phạm", 7), ("Hoàng", 4), ("Huỳnh", 4), ("Phan", 4), ("Vũ", 3),
    ("Võ", 3), ("Đặng", 2), ("Bùi", 2), ("Đỗ", 2), ("Hồ", 2), ("Ngô", 2), ("Dương", 1), ("Lý", 1), ("Đinh", 1),
    ("Lương", 1), ("Mai", 1), ("Trịnh", 1), ("Đào", 1), ("Cao", 1), ("Lò", 1), ("Hà", 1), ("Sùng", 1), ("Vi", 1),
)  # fmt: skip
MIDDLE_MALE = ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình", "Ngọc", "Trọng", "A")
MIDDLE_FEMALE = ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Minh", "Hồng", "Bích", "Thị Kim", "Thị Thu")
GIVEN_MALE = (
    "Hùng", "Dũng", "Tuấn", "Phúc", "Khoa", "Long", "Nam", "Sơn", "Hải", "Toản", "Khởi", "Thắng", "Quang", "Bình",
    "Cường", "Đạt", "Hiếu", "Huy", "Kiên", "Lâm", "Lực", "Mạnh", "Nghĩa", "Phong", "Quyết", "Tài", "Thành", "Trung",
    "Vinh", "Chu", "Pao", "Sáng", "Tâm", "Hòa", "Tùng", "Việt", "Đông", "Bảo", "Hoàng", "Thịnh",
)  # fmt: skip
GIVEN_FEMALE = (
    "Hương", "Lan", "Mai", "Hà", "Trang", "Thảo", "Nguyệt", "Thoa", "Hạnh", "Hằng", "Hoa", "Huyền", "Linh", "Loan",
    "Ly", "My", "Nga", "Ngân", "Nhung", "Oanh", "Phương", "Quyên", "Thủy", "Tuyết", "Vân", "Yến", "Xuân", "Dung",
    "Giang", "Hiền", "Liên", "Ngọc", "Tâm", "Thư", "Trâm", "Uyên", "Vy", "Châu", "Diệp", "Dịu",
)  # fmt: skip
PLACE_WORDS = (
    "An", "Bình", "Hòa", "Phú", "Tân", "Thành", "Hưng", "Phong", "Lộc", "Hải", "Sơn", "Đông", "Tây", "Nam", "Bắc",
    "Trung", "Thuận", "Yên", "Lạc", "Thịnh", "Quang", "Minh", "Vĩnh", "Long", "Mỹ", "Hiệp", "Đức", "Xuân", "Thạch",
    "Cẩm", "Kim", "Ea", "Krông", "Na", "Mường", "Pả", "Chiềng", "Tà", "Nậm", "Bản", "Tiến", "Lợi", "Khánh", "Hồng",
)  # fmt: skip
COLLECTIVES = (
    "Hợp tác xã nông nghiệp {p}", "Trường Tiểu học {p}", "Trường THCS {p}", "Trạm Y tế xã {p}",
    "Chi hội Phụ nữ thôn {p}", "Đội dân phòng phường {p}", "Công an xã {p}", "Chi đoàn thanh niên thôn {p}",
    "Ban công tác Mặt trận khu dân cư {p}", "Hội Cựu chiến binh xã {p}", "Phòng Giáo dục và Đào tạo huyện {p}",
    "Tổ hợp tác rau an toàn {p}", "Bộ phận một cửa UBND xã {p}", "Công ty TNHH Thương mại {p}",
    "Chi bộ thôn {p}", "Tổ tự quản đường làng {p}", "Câu lạc bộ dân ca {p}", "Đồn Biên phòng {p}",
)  # fmt: skip
ORGANIZATIONS = (
    "UBND xã {p}", "Trường THPT {p}", "Bệnh viện Đa khoa huyện {p}", "Hội Nông dân xã {p}", "Công an huyện {p}",
    "Hội Liên hiệp Phụ nữ xã {p}", "Đoàn Thanh niên xã {p}", "Công ty Cổ phần {p}", "Trung tâm Y tế huyện {p}",
    "Ban Chỉ huy Quân sự huyện {p}", "Sở Kế hoạch và Đầu tư", "Bưu điện huyện {p}",
)  # fmt: skip
AWARDS = (
    "Bằng khen của Chủ tịch UBND tỉnh", "Giấy khen của Chủ tịch UBND huyện", "Bằng khen của Thủ tướng Chính phủ",
    "Danh hiệu Chiến sĩ thi đua cơ sở", "Giấy khen của Hội Nông dân tỉnh", "Bằng khen của Bộ Giáo dục và Đào tạo",
    "Giấy khen của Ban Thường vụ Huyện ủy", "Bằng khen của Trung ương Hội Liên hiệp Phụ nữ Việt Nam",
)  # fmt: skip
FIELD_WORDS: dict[str, tuple[str, ...]] = {
    "nong-thon-moi": (
        "làm đường bê tông",
        "hiến đất mở rộng đường làng",
        "xây nhà văn hóa thôn",
        "kênh mương nội đồng",
        "tiêu chí nông thôn mới nâng cao",
        "thắp sáng đường quê",
        "trồng hàng rào xanh",
    ),
    "day-tot-hoc-tot": (
        "lớp học vùng cao",
        "học sinh giỏi cấp tỉnh",
        "phụ đạo miễn phí",
        "đổi mới phương pháp dạy học",
        "tủ sách cho học trò",
        "giáo án điện tử",
        "dạy tiếng Việt cho trẻ dân tộc thiểu số",
    ),
    "y-te": (
        "khám bệnh miễn phí",
        "tiêm chủng mở rộng",
        "chăm sóc người cao tuổi",
        "sơ cứu cấp cứu ban đầu",
        "phòng chống sốt xuất huyết",
        "trực cấp cứu xuyên đêm",
        "hiến máu tình nguyện",
    ),
    "chuyen-doi-so": (
        "dịch vụ công trực tuyến",
        "thanh toán không dùng tiền mặt",
        "bán hàng qua sàn thương mại điện tử",
        "tổ công nghệ số cộng đồng",
        "mã QR truy xuất nguồn gốc",
        "hồ sơ sức khỏe điện tử",
    ),
    "giam-ngheo": (
        "sinh kế cho hộ nghèo",
        "nhà đại đoàn kết",
        "vốn vay ưu đãi",
        "con giống hỗ trợ hộ cận nghèo",
        "thoát nghèo bền vững",
        "mô hình nuôi bò sinh sản",
    ),
    "nong-dan-san-xuat-gioi": (
        "lúa chất lượng cao",
        "vườn cây ăn quả",
        "trang trại tổng hợp",
        "rau an toàn theo VietGAP",
        "nuôi tôm công nghệ cao",
        "cà phê hữu cơ",
        "chè Shan tuyết",
    ),
    "an-ninh-to-quoc": (
        "tổ an ninh tự quản",
        "camera giám sát đầu ngõ",
        "phòng chống ma túy",
        "hòa giải mâu thuẫn",
        "phòng cháy chữa cháy",
        "truy bắt đối tượng trộm cắp",
    ),
    "chong-rac-thai-nhua": (
        "phân loại rác tại nguồn",
        "túi vải thay túi ni lông",
        "ngày chủ nhật xanh",
        "đổi rác lấy quà",
        "thu gom rác thải nhựa ven biển",
    ),
    "dan-van-kheo": (
        "vận động nhân dân",
        "đối thoại với người dân",
        "giải phóng mặt bằng",
        "hướng dẫn thủ tục tận nhà",
    ),
    "phu-nu": (
        "tổ tiết kiệm phụ nữ",
        "khởi nghiệp của chị em",
        "gia đình hạnh phúc",
        "phòng chống bạo lực gia đình",
    ),
    "thanh-nien": (
        "thanh niên tình nguyện",
        "mùa hè xanh",
        "khởi nghiệp lập nghiệp",
        "tiếp sức mùa thi",
    ),
    "cuu-chien-binh": (
        "cựu chiến binh làm kinh tế giỏi",
        "giúp đồng đội khó khăn",
        "giáo dục truyền thống",
    ),
    "doi-song-van-hoa": (
        "gia đình văn hóa",
        "khu dân cư văn hóa",
        "câu lạc bộ văn nghệ",
        "giữ gìn bản sắc dân tộc",
    ),
}
GENERIC_WORDS = (
    "người tốt, việc tốt", "điển hình tiên tiến", "tinh thần trách nhiệm", "đoàn kết", "sáng tạo", "nhân rộng",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh", "phong trào thi đua yêu nước",
)  # fmt: skip
SENTENCES = (
    "Từ năm {year}, {who} bắt đầu {act} tại {place}, khi nhiều người còn ngần ngại.",
    "Nhờ {topic}, {count} hộ dân trong {unit} đã có thu nhập ổn định hơn trước.",
    "{Who} cho biết điều khó nhất là thuyết phục bà con cùng tham gia {topic}.",
    "Mỗi tuần, {who} dành ít nhất {small} buổi tối để {act}.",
    "Kết quả là {topic} được duy trì đều đặn, trở thành nét đẹp của {place}.",
    "Ông {elder}, người cao tuổi trong {unit}, kể rằng trước đây {place} thiếu {lack}.",
    "Chị {younger} ở {unit} chia sẻ: “Nhờ có {topic}, gia đình tôi yên tâm hơn nhiều.”",
    "Năm {year2}, mô hình {topic} được UBND huyện đánh giá cao và đề nghị nhân rộng.",
    "Đến nay, tổng giá trị đóng góp cho {topic} đã lên tới {money} triệu đồng.",
    "Không chỉ {act}, {who} còn vận động {count} người cùng {act2}.",
    "Những việc làm ấy tuy nhỏ nhưng thể hiện rõ tinh thần {generic}.",
    "Trong đợt mưa lũ năm {year2}, {who} là người có mặt sớm nhất để {act2}.",
    "Cán bộ {unit} đánh giá {who} là tấm gương {generic} tiêu biểu của địa phương.",
    "Theo lãnh đạo xã, {topic} đã góp phần hoàn thành {count} tiêu chí của địa phương.",
    "Hằng năm, {who} đều được bình xét hoàn thành xuất sắc nhiệm vụ.",
    "Từ kinh nghiệm thực tế, {who} đã hướng dẫn {count} hộ ở {place} làm theo.",
    "Điều đáng quý là {who} luôn giữ sự khiêm tốn, coi {topic} là trách nhiệm của mình.",
    "Câu chuyện về {who} được nhiều người ở {place} nhắc đến như một ví dụ về {generic}.",
    "Với {money} triệu đồng tiết kiệm được, {who} mua thêm vật tư để {act2}.",
    "Nhiều đoàn cán bộ từ các huyện bạn đã về {place} học hỏi cách làm {topic}.",
)  # fmt: skip
ACTS = (
    "tuyên truyền pháp luật", "dọn vệ sinh đường làng", "dạy chữ cho trẻ em", "thăm hỏi người già neo đơn",
    "hướng dẫn bà con ứng dụng khoa học kỹ thuật", "sửa chữa cầu tạm", "trồng cây xanh", "quyên góp sách vở",
    "tuần tra giữ gìn an ninh", "hỗ trợ người dân làm thủ tục", "gom rác thải nhựa", "chăm sóc vườn rau",
)  # fmt: skip
LACKS = ("đường sá", "điện chiếu sáng", "nước sạch", "trường lớp", "trạm y tế", "nơi sinh hoạt cộng đồng", "việc làm")


@dataclass(frozen=True)
class CorpusStats:
    profiles: int
    photos: int
    drafts: int
    words: int


def _weighted(rng: random.Random, items: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([name for name, _ in items], weights=[weight for _, weight in items])[0]


def _person(rng: random.Random, female: bool | None = None) -> tuple[str, str]:
    """(full name, Ông/Bà) with the realistic share of family names."""
    female = rng.random() < 0.5 if female is None else female
    middle = rng.choice(MIDDLE_FEMALE if female else MIDDLE_MALE)
    given = rng.choice(GIVEN_FEMALE if female else GIVEN_MALE)
    return f"{_weighted(rng, SURNAMES)} {middle} {given}", ("Bà" if female else "Ông")


def _place(rng: random.Random) -> str:
    return " ".join(rng.sample(PLACE_WORDS, 2))


def _real_sentences() -> tuple[str, ...]:
    """Sentences of the sample stories in the repository: real vocabulary beside the templates' slots."""
    sentences: list[str] = []
    for path in sorted((REPO / "exemplars").rglob("index.md")):
        body = path.read_text(encoding="utf-8").split("---", 2)[2]
        for line in body.splitlines():
            if line and not line.startswith((">", "#", "-", "|")):
                sentences += [s.strip() + "." for s in line.split(". ") if len(s.split()) > 6]
    return tuple(sorted(set(sentences)))


def _story(
    rng: random.Random, real: tuple[str, ...], who: str, fields: list[str], place: str, words_wanted: int
) -> tuple[str, int]:
    topics = [w for f in fields for w in FIELD_WORDS.get(f, ())] or list(GENERIC_WORDS)
    paragraphs: list[str] = ["> **Dữ liệu mẫu:** hồ sơ tổng hợp để đo hiệu năng, không phải người thật."]
    words = 0
    paragraph: list[str] = []
    heading_every = rng.randint(3, 5)
    while words < words_wanted:
        if real and rng.random() < 0.3:
            sentence = rng.choice(real)
            paragraph.append(sentence)
            words += len(sentence.split())
            continue
        sentence = rng.choice(SENTENCES).format(
            who=who,
            Who=who[0].upper() + who[1:],
            act=rng.choice(ACTS),
            act2=rng.choice(ACTS),
            topic=rng.choice(topics),
            place=f"{rng.choice(('thôn', 'xã', 'bản', 'phường', 'khu phố'))} {place}",
            unit=f"{rng.choice(('thôn', 'xã', 'tổ dân phố', 'bản'))} {_place(rng)}",
            count=rng.randint(3, 250),
            small=rng.randint(2, 4),
            year=rng.randint(2005, 2020),
            year2=rng.randint(2015, 2024),
            money=rng.randint(5, 900),
            elder=_person(rng)[0],
            younger=_person(rng, female=True)[0],
            lack=rng.choice(LACKS),
            generic=rng.choice(GENERIC_WORDS),
        )
        paragraph.append(sentence)
        words += len(sentence.split())
        if len(paragraph) >= rng.randint(3, 6):
            paragraphs.append(" ".join(paragraph))
            paragraph = []
            if len(paragraphs) % heading_every == 0:
                paragraphs.append(f"## {rng.choice(topics).capitalize()}")
    if paragraph:
        paragraphs.append(" ".join(paragraph))
    return "\n\n".join(paragraphs) + "\n", words


def _photo(path: Path, rng: random.Random) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 480), tuple(rng.randint(60, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(12):
        box = sorted(rng.randint(0, 640) for _ in range(2)), sorted(rng.randint(0, 480) for _ in range(2))
        draw.ellipse((box[0][0], box[1][0], box[0][1], box[1][1]), fill=tuple(rng.randint(0, 255) for _ in range(3)))
    image.save(path, "JPEG", quality=80)


def write_corpus(root: Path, n: int, seed: int = 2025, photo_every: int = 10, draft_every: int = 97) -> CorpusStats:
    """A complete project at `root` (mkdocs.yml, content/, plans/, exemplars/) with `n` synthetic profiles."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = config.replace("custom_dir: build_tools/theme", f"custom_dir: {REPO / 'build_tools' / 'theme'}")
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "plans", root / "plans")
    shutil.copytree(REPO / "content", root / "content", ignore=shutil.ignore_patterns(".generated"))
    fields = [f["id"] for f in yaml.safe_load((REPO / "plans" / "fields.yml").read_text(encoding="utf-8"))]
    provinces = yaml.safe_load((REPO / "plans" / "provinces.yml").read_text(encoding="utf-8"))
    recorded = [p for p in provinces if not p.get("current") or not p.get("merged_from")]
    today_of = {p["id"]: p.get("merged_into", p["id"]) for p in provinces}
    plans_by_today: dict[str, list[str]] = {}
    for plan_file in sorted((REPO / "plans").glob("*-20*.yml")):
        plan = yaml.safe_load(plan_file.read_text(encoding="utf-8"))
        plans_by_today.setdefault(today_of[plan["province"]], []).append(plan["id"])
    real = _real_sentences()
    rng = random.Random(seed)
    photos = drafts = total_words = 0
    seen: set[str] = set()
    for number in range(n):
        kind = rng.choices(("ca-nhan", "tap-the", "ho-gia-dinh"), weights=(6, 3, 1))[0]
        province = rng.choice(recorded)
        place = _place(rng)
        person, title = _person(rng)
        if kind == "ca-nhan":
            name, who = person, f"{title.lower()} {person.split()[-1]}"
        elif kind == "ho-gia-dinh":
            name, who = f"Hộ gia đình {title.lower()} {person}", f"gia đình {title.lower()} {person.split()[-1]}"
        else:
            name = rng.choice(COLLECTIVES).format(p=place)
            who = "tập thể đơn vị"
        chosen = rng.sample(fields[:14], rng.choice((1, 1, 1, 2)))
        published = dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3600))
        slug = slugify(f"{name} {province['name']}")
        if slug in seen:
            slug = f"{slug}-{number}"
        seen.add(slug)
        story, words = _story(rng, real, who, chosen, place, rng.randint(300, 600))
        total_words += words
        data: dict[str, object] = {
            "name": name,
            "kind": kind,
            "fields": chosen,
            "province": province["id"],
            "locality": f"Xã {place}, huyện {_place(rng)}",
        }
        if rng.random() < 0.6:
            data["organization"] = rng.choice(ORGANIZATIONS).format(p=_place(rng))
        plans = plans_by_today.get(today_of[province["id"]], [])
        if plans and rng.random() < 0.5:
            data["plans"] = [rng.choice(plans)]
        data["awards"] = [
            {
                "title": rng.choice(AWARDS),
                "decision": f"Quyết định số {rng.randint(10, 3999)}/QĐ-UBND",
                "date": published - dt.timedelta(days=rng.randint(10, 200)),
            }
        ]
        topic = rng.choice([w for f in chosen for w in FIELD_WORDS.get(f, ())] or list(GENERIC_WORDS))
        data["summary"] = (
            f"{name} là điển hình tiên tiến về {topic} ở {province['name']}, được nhân rộng tại địa phương."
        )
        data["published"] = published
        folder = root / "exemplars" / str(published.year) / slug
        folder.mkdir(parents=True)
        if number % photo_every == 0:
            _photo(folder / "anh.jpg", rng)
            data["photo"] = {"src": "anh.jpg", "alt": f"{name} tại địa phương", "credit": "Báo địa phương"}
            photos += 1
        if kind != "tap-the":
            data["consent"] = True
        if number % draft_every == draft_every - 1:
            data["draft"] = True
            drafts += 1
        header = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
        (folder / "index.md").write_text(f"---\n{header}---\n{story}", encoding="utf-8")
    return CorpusStats(n, photos, drafts, total_words)


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic project of N Vietnamese profiles.")
    parser.add_argument("root", type=Path)
    parser.add_argument("n", type=int)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args()
    stats = write_corpus(args.root, args.n, args.seed)
    print(f"{stats.profiles} profiles ({stats.photos} with photos, {stats.drafts} drafts, {stats.words} words)")


if __name__ == "__main__":
    main()
