"""A phone photo as an officer uploads it (GPS, rotation, XMP, colour profile) and as a reader receives it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw

from build_tools.build import build_site
from build_tools.site import photos
from build_tools.site.photos import process_photo

from .conftest import SiteFixture

XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="21,1.5N"/></rdf:RDF></x:xmpmeta>'
)
METADATA_MARKERS = (b"Exif\x00\x00", b"ns.adobe.com", b"GPSLatitude", b"ICC_PROFILE", b"Samsung", b"Nguyen Van A")


def phone_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "Samsung"
    exif[ExifTags.Base.Artist] = "Nguyen Van A"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(
        {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (21.0, 1.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (105.0, 50.0, 12.0),
        }
    )
    return exif


def phone_jpeg(path: Path, size: tuple[int, int] = (1200, 800), orientation: int = 6, noise: bool = False) -> Path:
    """A JPEG as a phone writes it: stored sideways with Orientation=6, GPS, maker, XMP, a colour profile."""
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, (40, 120, 200))
    # A red block in the stored top-left corner: after a 90° clockwise turn it must be top-right.
    ImageDraw.Draw(image).rectangle((0, 0, size[0] // 6, size[1] // 6), fill=(255, 0, 0))
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image.save(
        path,
        "JPEG",
        quality=75 if noise else 90,
        exif=phone_exif(orientation),
        xmp=XMP,
        icc_profile=icc,
        comment=b"Nguyen Van A 0912345678",
    )
    return path


def assert_pixels_only(path: Path) -> None:
    data = path.read_bytes()
    for marker in METADATA_MARKERS:
        assert marker not in data, f"{path.name} still carries {marker!r}"
    with Image.open(path) as image:
        assert len(image.getexif()) == 0
        assert not {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment"} & set(image.info)


def test_a_phone_photo_is_rotated_and_loses_every_metadata_block(tmp_path: Path) -> None:
    original = phone_jpeg(tmp_path / "chan-dung.jpg")
    with Image.open(original) as check:  # the input really carries what phones write
        assert check.getexif()[ExifTags.Base.Orientation] == 6
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "xmp" in check.info and "icc_profile" in check.info

    photo_set = process_photo(original, tmp_path / "cache")

    assert (photo_set.width, photo_set.height) == (800, 1200)  # stored 1200×800, shown upright
    assert [(v.name, v.width, v.height) for v in photo_set.variants] == [
        ("chan-dung-480.webp", 480, 720),  # no JPEG but the largest: every browser of our readers shows WebP
        ("chan-dung-800.webp", 800, 1200),
        ("chan-dung-800.jpg", 800, 1200),
    ]
    for variant in photo_set.variants:
        assert_pixels_only(variant.cached)
        with Image.open(variant.cached) as image:
            assert image.size == (variant.width, variant.height)
            rgb = image.convert("RGB")
            top_right = rgb.getpixel((variant.width - 5, 5))
            top_left = rgb.getpixel((5, 5))
            assert top_right[0] > 200 and top_right[2] < 80, top_right
            assert top_left[2] > 150, top_left


def test_a_png_with_transparency_and_text_chunks_is_published_flat_and_clean(tmp_path: Path) -> None:
    from PIL.PngImagePlugin import PngInfo

    image = Image.new("RGBA", (1000, 600), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((300, 100, 700, 500), fill=(20, 160, 60, 255))
    info = PngInfo()
    info.add_text("Comment", "Nguyen Van A 0912345678")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    image.save(tmp_path / "logo.png", pnginfo=info, exif=phone_exif(1))

    photo_set = process_photo(tmp_path / "logo.png", tmp_path / "cache")

    # WebP at every width, JPEG at the largest only (the <img> fallback, feeds): no smaller JPEG.
    assert [(v.width, v.mime) for v in photo_set.variants] == [
        (480, "image/webp"),
        (960, "image/webp"),
        (1000, "image/webp"),
        (1000, "image/jpeg"),
    ]
    for variant in photo_set.variants:
        assert_pixels_only(variant.cached)
        with Image.open(variant.cached) as published:
            assert published.mode == "RGB"
            assert published.getpixel((2, 2)) >= (245, 245, 245)  # transparency becomes white, not black


def test_a_10_megabyte_phone_photo_becomes_three_upright_widths(tmp_path: Path) -> None:
    original = phone_jpeg(tmp_path / "hoat-dong.jpg", size=(4032, 3024), noise=True)
    assert 5_000_000 <= original.stat().st_size <= 12_000_000

    photo_set = process_photo(original, tmp_path / "cache")

    assert sorted({(v.width, v.height) for v in photo_set.variants}) == [(480, 640), (960, 1280), (1600, 2133)]
    for variant in photo_set.variants:
        assert_pixels_only(variant.cached)
    assert photo_set.fallback.cached.stat().st_size < 1_500_000


@pytest.mark.parametrize(
    ("stored", "card"),
    [
        ((2400, 1600), (1200, 630)),  # a phone photo: the full large-preview size
        ((640, 480), (640, 336)),  # a small one is cut, not enlarged: more pixels would be bytes, not detail
        ((400, 300), (600, 315)),  # below Facebook's smallest large preview: enlarged to that and no further
        ((900, 1200), (900, 472)),  # a portrait: its widest region of the card's shape
    ],
)
def test_the_link_preview_crop_is_never_enlarged_beyond_the_photo(
    tmp_path: Path, stored: tuple[int, int], card: tuple[int, int]
) -> None:
    original = tmp_path / "anh.jpg"
    Image.new("RGB", stored, (40, 120, 200)).save(original, "JPEG")
    photo_set = process_photo(original, tmp_path / "cache")
    assert photo_set.card is not None and (photo_set.card.width, photo_set.card.height) == card
    with Image.open(photo_set.card.cached) as image:
        assert image.size == card  # what the page's og:image:width and og:image:height will say
    again = process_photo(original, tmp_path / "cache")  # read back from the cache's manifest: the same size
    assert again.card == photo_set.card


def test_an_unchanged_photo_is_not_decoded_or_encoded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"decode": 0, "encode": 0}
    decode, encode = photos._upright_srgb_pixels, photos._encode

    def counting_decode(path: Path) -> Image.Image:
        calls["decode"] += 1
        return decode(path)

    def counting_encode(image: Image.Image, pil_format: str) -> bytes:
        calls["encode"] += 1
        return encode(image, pil_format)

    monkeypatch.setattr(photos, "_upright_srgb_pixels", counting_decode)
    monkeypatch.setattr(photos, "_encode", counting_encode)
    original = phone_jpeg(tmp_path / "anh.jpg", size=(2000, 1500), orientation=1)
    cache = tmp_path / "cache"

    first = process_photo(original, cache)
    # Three widths in WebP, the largest in JPEG, and the share card's crop.
    assert calls == {"decode": 1, "encode": 5}
    mtimes = {v.cached: v.cached.stat().st_mtime_ns for v in first.variants}

    again = process_photo(original, cache)
    assert calls == {"decode": 1, "encode": 5}
    assert again == first
    assert {v.cached: v.cached.stat().st_mtime_ns for v in again.variants} == mtimes

    # The same photo under a new name reuses the work; a re-uploaded, different photo does not.
    renamed = original.rename(tmp_path / "chan-dung.jpg")
    assert process_photo(renamed, cache).variants[0].name == "chan-dung-480.webp"
    assert calls["encode"] == 5
    phone_jpeg(renamed, size=(2000, 1500), orientation=3)
    process_photo(renamed, cache)
    assert calls == {"decode": 2, "encode": 10}

    # A variant lost from the cache (a half-cleaned .cache/) is rebuilt rather than published missing.
    lost = process_photo(renamed, cache).variants[2].cached
    lost.unlink()
    process_photo(renamed, cache)
    assert calls == {"decode": 3, "encode": 15}
    assert lost.is_file()


def test_the_built_site_serves_only_clean_upright_photos(site: SiteFixture) -> None:
    folder = site.root / "exemplars" / "co-anh-dien-thoai"
    folder.mkdir(parents=True)
    phone_jpeg(folder / "chan-dung.jpg", size=(1800, 1200))
    site.profile(
        "co-anh-dien-thoai",
        photo={"src": "chan-dung.jpg", "alt": "Cô giáo trên lớp", "credit": "Báo Nam Định"},
    )
    build_site(site.project)
    published = sorted((site.root / "site" / "guong" / "co-anh-dien-thoai").glob("chan-dung-*"))
    assert [p.name for p in published] == [
        "chan-dung-1200.jpg",
        "chan-dung-1200.webp",
        "chan-dung-480.webp",  # no smaller JPEG: list cards and phones are sent WebP, feeds the largest JPEG
        "chan-dung-960.webp",
        "chan-dung-card.jpg",
        "chan-dung-thumb.webp",  # the square thumbnail of search results, cut from the same upright pixels
    ]
    for path in published:
        assert_pixels_only(path)
        with Image.open(path) as image:
            if path.name == "chan-dung-card.jpg":  # the link-preview crop
                assert image.size == (1200, 630)
            else:
                assert image.height > image.width or image.size == (128, 128)
    assert not (site.root / "site" / "guong" / "co-anh-dien-thoai" / "chan-dung.jpg").exists()
    html = site.built("guong/co-anh-dien-thoai/index.html")
    assert 'width="1200" height="1800"' in html


def test_encoded_bytes_do_not_depend_on_the_run(tmp_path: Path) -> None:
    original = phone_jpeg(tmp_path / "anh.jpg", size=(900, 600))
    first = {v.name: v.cached.read_bytes() for v in process_photo(original, tmp_path / "a").variants}
    second = {v.name: v.cached.read_bytes() for v in process_photo(original, tmp_path / "b").variants}
    assert first == second
    assert first["anh-600.jpg"][:2] == b"\xff\xd8"
