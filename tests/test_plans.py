"""An emulation office's story: each real plan is transcribed faithfully and keeps its source's structure."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from build_tools.content.config import load_project
from build_tools.content.gather import load_taxonomies
from build_tools.content.model import Plan

REPO = Path(__file__).resolve().parents[1]


def _flat(text: str) -> str:
    """Compare ignoring case, whitespace, the source's line breaks and the `*` emphasis marks of the seed text."""
    text = unicodedata.normalize("NFC", text).replace("*", "")
    return re.sub(r"\s+", " ", text).strip().lower()


def source_text(plan: Plan) -> str:
    return _flat((REPO / "plans" / "sources" / plan.source).read_text(encoding="utf-8"))


def test_all_five_plans_are_present(plans: dict[str, Plan]) -> None:
    assert sorted(plans) == [
        "bac-giang-2021",
        "lang-son-skhdt-2022-2025",
        "nam-dinh-2022-2025",
        "ninh-thuan-2021-2025",
        "phong-tho-2023",
    ]


def test_ninh_thuan_has_nine_fields_a_to_k(plans: dict[str, Plan]) -> None:
    plan = plans["ninh-thuan-2021-2025"]
    assert [f.ref for f in plan.fields] == ["a", "b", "c", "d", "đ", "e", "g", "h", "k"]
    assert (plan.level, plan.province, plan.number, plan.period_start, plan.period_end) == (
        "tinh",
        "ninh-thuan",
        "",
        2021,
        2025,
    )
    assert all(f.lead for f in plan.fields)
    assert {m.when[:4] for m in plan.milestones} >= {"2021", "2023", "2025"}


def test_nam_dinh_has_sixteen_fields_and_a_yearly_target(plans: dict[str, Plan]) -> None:
    plan = plans["nam-dinh-2022-2025"]
    assert [f.ref for f in plan.fields] == [f"3.{n}" for n in range(1, 17)]
    assert plan.general_criteria
    assert any(t.min == 1 and t.max == 2 and t.per == "year" for t in plan.targets)
    assert any(m.when == "2023-05-30" for m in plan.milestones)
    assert all(f.lead for f in plan.fields)


def test_bac_giang_has_fifteen_fields_two_holding_two_movements(plans: dict[str, Plan]) -> None:
    plan = plans["bac-giang-2021"]
    assert [f.ref for f in plan.fields] == [str(n) for n in range(1, 16)]
    by_ref = {f.ref: f for f in plan.fields}
    assert [m.field for m in by_ref["6"].movements] == ["doi-song-van-hoa", "xay-dung-do-thi"]
    assert [m.field for m in by_ref["7"].movements] == ["quoc-phong", "an-ninh-to-quoc"]
    assert (plan.number, plan.date, plan.level) == ("08/KH-HĐTĐKT", "2021-02-05", "hoi-dong")
    assert {m.when for m in plan.milestones} >= {"2021-Q1", "2021-Q4"}


def test_lang_son_has_three_model_areas_and_a_target_of_two_a_year(plans: dict[str, Plan]) -> None:
    plan = plans["lang-son-skhdt-2022-2025"]
    assert [f.field_ids for f in plan.fields] == [
        ("hoc-tap-lam-theo-bac",),
        ("dan-van-kheo",),
        ("nhiem-vu-chuyen-mon",),
    ]
    assert (plan.number, plan.date, plan.level) == ("101/KH-SKHĐT", "2023-04-05", "so")
    [target] = plan.targets
    assert (target.min, target.per, set(target.kinds)) == (2, "year", {"tap-the", "ca-nhan"})


def test_phong_tho_gives_criteria_by_subject(plans: dict[str, Plan]) -> None:
    plan = plans["phong-tho-2023"]
    assert plan.fields == ()
    kinds = [g.kind for g in plan.general_criteria]
    assert kinds[0] == "tap-the" and "ho-gia-dinh" in kinds and kinds.count("ca-nhan") >= 2
    assert (plan.level, plan.province, plan.date) == ("huyen", "lai-chau", "2023-03")


@pytest.mark.parametrize(
    "plan_id",
    ["ninh-thuan-2021-2025", "phong-tho-2023", "nam-dinh-2022-2025", "lang-son-skhdt-2022-2025", "bac-giang-2021"],
)
def test_wording_criteria_and_leads_are_verbatim_from_the_source(plans: dict[str, Plan], plan_id: str) -> None:
    plan = plans[plan_id]
    text = source_text(plan)
    quoted = [plan.title, *plan.purposes, *plan.requirements]
    for group in plan.general_criteria:
        quoted += group.items
    for plan_field in plan.fields:
        quoted += [plan_field.wording, *plan_field.lead]
        for group in plan_field.criteria:
            quoted += group.items
        for movement in plan_field.movements:
            quoted += [movement.wording, *movement.lead]
            for group in movement.criteria:
                quoted += group.items
    missing = [q for q in quoted if _flat(q).rstrip(".;:…") not in text and _flat(q)[:60] not in text]
    assert missing == []


def test_each_body_leads_only_its_own_movement_where_one_sentence_names_several(plans: dict[str, Plan]) -> None:
    # Ninh Thuận đ: "Mỗi cơ quan chủ trì … (đối với từng ngành)"; Bắc Giang 15: three bodies, three movements.
    item = {f.ref: f for f in plans["ninh-thuan-2021-2025"].fields}["đ"]
    assert {m.field: m.lead for m in item.movements} == {
        "quoc-phong": ("Bộ Chỉ huy Quân sự tỉnh", "Bộ Chỉ huy Bộ đội Biên phòng tỉnh"),
        "an-ninh-to-quoc": ("Công an tỉnh",),
    }
    item = {f.ref: f for f in plans["bac-giang-2021"].fields}["15"]
    assert [m.lead for m in item.movements] == [
        ("Hội Cựu chiến binh tỉnh",),
        ("Hội Liên hiệp Phụ nữ tỉnh",),
        ("Tỉnh đoàn",),
    ]


def test_an_item_naming_two_movements_maps_each_and_names_neither_as_an_alias(plans: dict[str, Plan]) -> None:
    fields, _, _ = load_taxonomies(load_project(REPO))
    for plan_id, ref in [("nam-dinh-2022-2025", "3.4"), ("nam-dinh-2022-2025", "3.13"), ("bac-giang-2021", "3")]:
        item = {f.ref: f for f in plans[plan_id].fields}[ref]
        assert len(item.movements) == 2, (plan_id, ref)
        [field_id] = item.field_ids
        aliases = {_flat(a) for a in fields[field_id].aliases}
        second = _flat(item.movements[1].wording)
        assert not any(alias in second for alias in aliases if len(alias) > 30), (plan_id, ref)
        assert any(_flat(r) in second for r in fields[field_id].related), (plan_id, ref)
