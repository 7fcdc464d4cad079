"""Personal data that must never be published: Vietnamese phone numbers, citizen ID numbers, personal e-mail.

Pure text rules, shared by the profile validator (schema.py) and `exemplars new`. A finding carries the text as
written, so the contributor can find it on the line, and a normalised `value` used to match the visible
exceptions a profile declares in `public_contacts`.

Numbers are matched as runs of digit groups separated by one space, dot or dash. Every window of consecutive
groups is tried, so "số 15 0912 345 678" still finds the phone after the count, while a decision number
("1234/QĐ-UBND"), a date ("12/05/2023", "2023-05-12"), a year range, a count or an amount of money
("1.200.000 đồng") never has the shape of a phone or ID number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PHONE = "phone"
CITIZEN_ID = "citizen-id"
OLD_ID = "old-id"
EMAIL = "email"

NON_PERSONAL_EMAIL_DOMAINS = ("gov.vn", "org.vn")
"""Addresses of state agencies and organisations (`vanphong@namdinh.gov.vn`) are published contacts, not personal."""

_GROUPED_NUMBER = re.compile(r"(?<![\w+])(\(?\+\s?84\)?[ .-]?)?(\d+(?:[ .-]\d+)*)(?![\w/])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\b")
_URL = re.compile(r"\bhttps?://[^\s)\]>\"']+")
_BUSINESS_CODE = re.compile(r"(mã số thuế|\bMST\b|mã số doanh nghiệp|mã doanh nghiệp|mã hợp tác xã)", re.IGNORECASE)
_MONEY_OR_UNIT = re.compile(
    r"^\s*(đồng|đ\b|VNĐ|VND|USD|triệu|tỷ|nghìn|ngàn|người|lượt|hộ|m²|m2|ha\b|km|kg|tấn|cây|con|bản|trang)",
    re.IGNORECASE,
)
_MAX_GROUPS = 6
_CANDIDATE = re.compile(r"@|\d(?:[ .-]?\d){8}")
"""What any finding needs: an `@`, or nine digits in groups split by single separators (the shortest number we
report, an old ID, has nine digits; a phone after +84 too). Most text has neither, and is skipped at once."""


@dataclass(frozen=True)
class Finding:
    kind: str
    """PHONE, CITIZEN_ID, OLD_ID or EMAIL."""
    text: str
    """As written on the line."""
    value: str
    """Normalised: a phone in national form (`0912345678`), an ID's digits, an e-mail in lowercase."""


def find_personal_data(line: str) -> list[Finding]:
    """Every phone number, citizen ID number and personal e-mail address on one line of text."""
    return _scan(line) if may_contain_personal_data(line) else []


def _scan(line: str) -> list[Finding]:
    findings: list[Finding] = []
    without_urls = _URL.sub(lambda m: " " * len(m.group()), line)
    for match in _EMAIL.finditer(without_urls):
        address = match.group().lower()
        domain = address.rsplit("@", 1)[1]
        if not any(domain == d or domain.endswith("." + d) for d in NON_PERSONAL_EMAIL_DOMAINS):
            findings.append(Finding(EMAIL, match.group(), address))
    without_emails = _EMAIL.sub(lambda m: " " * len(m.group()), without_urls)
    business = _BUSINESS_CODE.search(without_emails) is not None
    for match in _GROUPED_NUMBER.finditer(without_emails):
        findings += _numbers_in_run(match, without_emails, business)
    return sorted(findings, key=lambda f: line.find(f.text))


def may_contain_personal_data(text: str) -> bool:
    """A quick test that lets a 10,000-profile check skip the costly rules on the lines that cannot match them."""
    return _CANDIDATE.search(text) is not None


def contacts_in(text: str) -> list[Finding]:
    """Phone numbers and e-mail addresses (an agency's too) in a declared public contact."""
    findings = [f for f in find_personal_data(text) if f.kind in (PHONE, EMAIL)]
    for match in _EMAIL.finditer(text):
        if not any(f.kind == EMAIL and f.text == match.group() for f in findings):
            findings.append(Finding(EMAIL, match.group(), match.group().lower()))
    return findings


def _numbers_in_run(match: re.Match[str], line: str, business: bool) -> list[Finding]:
    """Phone and ID numbers inside one run of digit groups; the longest shape wins at each start."""
    plus = match.group(1) is not None
    groups = re.split(r"[ .-]", match.group(2))
    separators = re.findall(r"[ .-]", match.group(2))
    offset = match.start(2)
    starts = []
    position = offset
    for index, group in enumerate(groups):
        starts.append(position)
        position += len(group) + (1 if index < len(separators) else 0)
    findings: list[Finding] = []
    first = 0
    while first < len(groups):
        found = None
        for last in range(min(len(groups), first + _MAX_GROUPS) - 1, first - 1, -1):
            digits = "".join(groups[first : last + 1])
            with_prefix = plus and first == 0
            kind, value = _classify(digits, with_prefix, single_group=first == last)
            if kind is None:
                continue
            end = starts[last] + len(groups[last])
            begin = match.start(1) if with_prefix else starts[first]
            if kind == OLD_ID and _MONEY_OR_UNIT.match(line[end:]):
                continue
            if kind in (PHONE, OLD_ID) and business and len(digits) in (10, 13):
                continue  # a business's tax code (mã số thuế) is public by law
            found = (Finding(kind, line[begin:end].strip(), value), last)
            break
        if found:
            findings.append(found[0])
            first = found[1] + 1
        else:
            first += 1
    return findings


def _classify(digits: str, plus: bool, single_group: bool) -> tuple[str | None, str]:
    national = None
    if plus:
        national = "0" + digits.removeprefix("0")
    elif digits.startswith("84") and len(digits) in (11, 12):
        national = "0" + digits[2:]
    elif digits.startswith("0"):
        national = digits
    if national is not None and _is_phone(national):
        return PHONE, national
    if plus:
        return None, digits
    if len(digits) == 12 and digits.startswith("0") and 1 <= int(digits[:3]) <= 96:
        return CITIZEN_ID, digits
    if len(digits) == 9 and single_group:
        return OLD_ID, digits
    return None, digits


def _is_phone(national: str) -> bool:
    """Mobile: 10 digits, 03/05/07/08/09. Landline: 11 digits, 02x. Numbers in the pre-2018 plans too."""
    if len(national) == 10:
        return national[1] in "3456789"
    if len(national) == 11:
        return national[1] in "12"
    return False
