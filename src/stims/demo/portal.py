"""Demo content of the public portal for `stims demo`: the five seed articles (demo_seeds/) published
as news with their categories, dates and tags, written by the demo specialist and approved by the demo
leader (review, then publish); the leaders' work calendar made public from the demo working sessions;
one image in its generated sizes. The catalogues read the demo results, OCOP products, IP assets, S&T
enterprises and published tasks as they are. Matched on natural keys, saved only when they differ.
"""

from __future__ import annotations

import datetime
import html
from io import BytesIO
from pathlib import Path
from typing import TextIO

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from stims.accounts.models import User
from stims.demo.orgs import Tally, upsert, write_summary
from stims.meetings.models import SessionStatus, WorkingSession
from stims.portal import images
from stims.portal.models import ArticleStatus, NewsArticle, NewsCategory, NewsTag, PublicSession

SEEDS = Path(__file__).parent / "demo_seeds"

CATEGORIES = [
    ("hoat-dong-cua-so", "Hoạt động của Sở", 10),
    ("khcn-dia-phuong", "KH&CN địa phương", 20),
    ("chi-dao-dieu-hanh", "Chỉ đạo, điều hành", 30),
]

# file, body lines (first, last, skipped), category, published at, featured, hot, views, tags
ARTICLES = [
    ("000_5111004916535261.txt", (5, 13, {7}), "hoat-dong-cua-so", (2023, 4, 27, 9, 0), True, False, 0,
     ["Định Hóa", "Đổi mới sáng tạo", "Nông thôn mới"]),
    ("001_9896f2a58990e926.txt", (5, 36, set()), "khcn-dia-phuong", (2023, 3, 14, 7, 57), True, True, 0,
     ["Bình Liêu", "Ba Chẽ", "OCOP", "Đổi mới sáng tạo"]),
    ("002_2a1da29baf66937e.txt", (5, 29, set()), "chi-dao-dieu-hanh", (2023, 11, 30, 7, 51), True, True, 0,
     ["Quảng Trị", "Chuyển đổi số"]),
    ("003_89ed0526043fe554.txt", (5, 16, {8}), "khcn-dia-phuong", (2023, 7, 24, 18, 11), False, False, 0,
     ["Nam Định", "KH&CN cấp cơ sở"]),
    ("004_c37f746252b8d3a8.txt", (4, 16, {6}), "chi-dao-dieu-hanh", (2023, 6, 5, 8, 0), False, True, 398,
     ["Sơn La", "Đổi mới sáng tạo"]),
]  # fmt: skip


def seed_article(name: str, first: int, last: int, skipped: set[int]) -> tuple[str, str]:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    title = lines[0].strip()
    paragraphs = [
        lines[n - 1].strip() for n in range(first, last + 1) if n not in skipped and lines[n - 1].strip()
    ]
    return title, "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def demo_image() -> bytes:
    image = Image.new("RGB", (1200, 675), (11, 79, 138))
    draw = ImageDraw.Draw(image)
    for n in range(0, 1200, 60):
        draw.line([(n, 675), (n + 400, 0)], fill=(20, 100, 160), width=18)
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def load(stdout: TextIO) -> None:
    tally = Tally()
    writer = User.objects.filter(username="chuyenvien").first()
    approver = User.objects.filter(username="lanhdao").first()
    categories = {
        slug: upsert(NewsCategory, {"slug": slug}, {"name": name, "sort_order": order}, tally)
        for slug, name, order in CATEGORIES
    }
    for name, (first, last, skipped), category, when, featured, hot, views, tags in ARTICLES:
        title, body = seed_article(name, first, last, skipped)
        publish_at = timezone.make_aware(datetime.datetime(*when))
        article = upsert(
            NewsArticle,
            {"title": title},
            {
                "category": categories[category],
                "body": body,
                "publish_at": publish_at,
                "is_featured": featured,
                "is_hot": hot,
                "status": ArticleStatus.APPROVED,
                "author": writer,
                "approved_by": approver,
                "approved_at": publish_at,
            },
            tally,
        )
        if views and article.view_count < views:
            NewsArticle.objects.filter(pk=article.pk).update(view_count=views)
        tag_rows = [upsert(NewsTag, {"name": tag}, {}, tally) for tag in tags]
        if {t.pk for t in article.tags.all()} != {t.pk for t in tag_rows}:
            article.tags.set(tag_rows)
        if name.startswith("001") and not article.image:
            article.image_caption = "Ảnh minh hoạ (demo)"
            article.image.save("demo-binh-lieu-ba-che.png", ContentFile(demo_image()), save=False)
            article._change_reason = "Dữ liệu minh hoạ (demo)"
            article.save()
            images.make_renditions(article.image.name)
    for session in WorkingSession.objects.exclude(status=SessionStatus.CANCELLED):
        upsert(PublicSession, {"session": session}, {}, tally)
    write_summary(stdout, "Public portal", tally)
