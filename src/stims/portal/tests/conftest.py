import datetime

import pytest
from django.utils import timezone

from stims.portal.models import ArticleStatus, NewsArticle, NewsCategory
from stims.testing import make_user


@pytest.fixture
def category(db):
    return NewsCategory.objects.create(name="Hoạt động của Sở", slug="hoat-dong-cua-so")


@pytest.fixture
def editor(db):
    return make_user("specialist")


@pytest.fixture
def approver(db):
    return make_user("leader")


@pytest.fixture
def make_article(db, category):
    counter = iter(range(1, 10_000))

    def make(*, status=ArticleStatus.APPROVED, days_ago=1, **fields):
        number = next(counter)
        values = {
            "title": f"Sở KH&CN làm việc với huyện Định Hóa {number}",
            "category": category,
            "body": f"<p>Nội dung bài {number} về đổi mới sáng tạo.</p>",
            "publish_at": timezone.now() - datetime.timedelta(days=days_ago),
            "status": status,
            **fields,
        }
        return NewsArticle.objects.create(**values)

    return make
