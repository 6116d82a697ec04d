"""News: the review-then-publish workflow, scheduled publication, safe HTML, view counts, search,
feeds, sitemap, related news, share links and SEO metadata, the cache."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from stims.accounts.models import Notification
from stims.core import concurrency
from stims.portal import rules, sanitize, services
from stims.portal.models import ArticleStatus, NewsArticle, NewsCategory, NewsTag
from stims.testing import make_user

# --- Review, then publish ---------------------------------------------------------------------------


def _post_article(client, category, **extra):
    data = {
        "title": "Hội nghị KH&CN cấp cơ sở",
        "category": category.pk,
        "summary": "Tổng kết hoạt động.",
        "body": "<p>Nội dung <strong>chính</strong>.</p>",
        "publish_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime("%d/%m/%Y %H:%M"),
        **extra,
    }
    return client.post(reverse("portal:newsarticle_add"), data)


def test_an_editor_writes_a_draft_that_the_public_does_not_see(client, category, editor):
    client.force_login(editor)
    response = _post_article(client, category)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = NewsArticle.objects.get()
    assert (article.status, article.author) == (ArticleStatus.DRAFT, editor)
    client.logout()
    assert client.get(reverse("portal:news_detail", args=[article.slug])).status_code == 404
    assert "Hội nghị KH&CN cấp cơ sở" not in client.get(reverse("portal:news_list")).content.decode()


def test_a_second_person_approves_and_the_writer_cannot_approve_their_own(
    client, make_article, editor, approver, django_capture_on_commit_callbacks
):
    article = make_article(status=ArticleStatus.DRAFT, author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(article, editor)
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW
    assert Notification.objects.filter(user=approver).exists()  # the staff hear of it
    with pytest.raises(ValidationError) as refused:
        services.approve(article, editor)
    assert str(rules.core_rules.refusal(rules.APPROVE_ARTICLE)) in refused.value.messages
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW
    services.approve(article, approver)
    article.refresh_from_db()
    assert (article.status, article.approved_by) == (ArticleStatus.APPROVED, approver)
    assert client.get(article.get_public_url()).status_code == 200


def test_the_approve_button_through_the_page_refuses_the_writer_and_accepts_another(
    client, make_article, editor, approver
):
    article = make_article(status=ArticleStatus.REVIEW, author=editor)
    client.force_login(editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert reverse("portal:newsarticle_approve", args=[article.pk]) not in page
    client.post(reverse("portal:newsarticle_approve", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.REVIEW
    client.force_login(approver)
    client.post(reverse("portal:newsarticle_approve", args=[article.pk]))
    article.refresh_from_db()
    assert article.status == ArticleStatus.APPROVED


def test_sending_back_needs_a_reason_and_returns_the_draft(make_article, editor, approver):
    article = make_article(status=ArticleStatus.REVIEW, author=editor)
    with pytest.raises(ValidationError):
        services.send_back(article, approver, "  ")
    services.send_back(article, approver, "Thiếu ảnh")
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_editing_an_approved_article_takes_it_off_until_approved_again(client, make_article, editor):
    article = make_article(author=editor)
    client.force_login(editor)
    response = client.post(
        reverse("portal:newsarticle_edit", args=[article.pk]),
        {
            "title": article.title,
            "category": article.category_id,
            "body": "<p>Đã sửa</p>",
            "publish_at": timezone.localtime(article.publish_at).strftime("%d/%m/%Y %H:%M"),
            concurrency.FORM_FIELD: concurrency.version_of(article),
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    article.refresh_from_db()
    assert article.status == ArticleStatus.DRAFT


def test_a_viewer_may_not_write_news(client, category, db):
    client.force_login(make_user("viewer"))
    assert client.get(reverse("portal:newsarticle_add")).status_code == 403


def test_a_scheduled_article_appears_only_from_its_time(client, make_article):
    article = make_article(title="Tin hẹn giờ", days_ago=-1)
    assert client.get(article.get_public_url()).status_code == 404
    assert "Tin hẹn giờ" not in client.get(reverse("portal:news_list")).content.decode()
    NewsArticle.objects.filter(pk=article.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert client.get(article.get_public_url()).status_code == 200


# --- Safe HTML ---------------------------------------------------------------------------------------

PAYLOADS = [
    '<script>alert("x")</script><p>ok</p>',
    '<p onclick="alert(1)" onmouseover="alert(2)">ok</p>',
    '<a href="javascript:alert(1)">ok</a>',
    '<a href="JaVaScRiPt:alert(1)">ok</a>',
    '<svg onload="alert(1)"><script>alert(1)</script></svg><p>ok</p>',
    '<img src="x" onerror="alert(1)"><p>ok</p>',
    '<iframe src="https://evil.example"></iframe><p>ok</p>',
    '<p style="background:url(javascript:alert(1))">ok</p>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_editor_html_is_cleaned_of_script_injection(payload):
    cleaned = sanitize.clean(payload).lower()
    for bad in (
        "<script",
        "onclick",
        "onload",
        "onerror",
        "onmouseover",
        "javascript:",
        "<svg",
        "<iframe",
        "style=",
        "data:",
    ):
        assert bad not in cleaned, (payload, cleaned)


def test_html_is_cleaned_on_save_and_again_on_render(client, make_article):
    article = make_article(body='<p>ok</p><script>alert("saved")</script>')
    assert "<script" not in NewsArticle.objects.get(pk=article.pk).body
    # A row written around the model (an import, the database) is still cleaned as it is shown.
    NewsArticle.objects.filter(pk=article.pk).update(body='<p onclick="x()">hi</p><script>alert(1)</script>')
    page = client.get(article.get_public_url()).content.decode()
    body = page.split('data-testid="article-body">', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "onclick" not in body and "hi" in body


def test_the_editor_keeps_formatting_and_links(client):
    cleaned = sanitize.clean(
        '<h2>Tiêu đề</h2><p><strong>Đậm</strong> <a href="https://most.gov.vn">Bộ</a></p>'
    )
    assert "<h2>" in cleaned and "<strong>" in cleaned and 'href="https://most.gov.vn"' in cleaned
    assert 'rel="noopener noreferrer nofollow"' in cleaned


# --- Images ------------------------------------------------------------------------------------------


def _png(width=1600, height=900) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 80, 140)).save(buffer, "PNG")
    return buffer.getvalue()


def test_an_uploaded_image_is_served_in_its_sizes_only_for_a_public_article(
    client, category, editor, approver, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(editor)
    response = _post_article(client, category, image=SimpleUploadedFile("anh.png", _png(), "image/png"))
    assert response.status_code == 302
    article = NewsArticle.objects.get()
    url = reverse("portal:news_image", args=[article.pk, "thumb"])
    client.logout()
    assert client.get(url).status_code == 404  # a draft's image is not public
    NewsArticle.objects.filter(pk=article.pk).update(status=ArticleStatus.APPROVED)
    for size, width in (("thumb", 360), ("large", 960)):
        response = client.get(reverse("portal:news_image", args=[article.pk, size]))
        assert response.status_code == 200
        assert Image.open(io.BytesIO(b"".join(response.streaming_content))).width == width


def test_a_file_that_is_not_an_image_is_refused(client, category, editor):
    client.force_login(editor)
    response = _post_article(
        client, category, image=SimpleUploadedFile("anh.png", b"<svg onload=alert(1)>", "image/png")
    )
    assert response.status_code == 200
    assert not NewsArticle.objects.exists()


# --- Views, related, share, SEO ----------------------------------------------------------------------


def test_reloads_by_one_visitor_count_once_and_another_visitor_counts(client, make_article):
    article = make_article()
    for _ in range(3):
        client.get(article.get_public_url(), REMOTE_ADDR="10.0.0.1", HTTP_USER_AGENT="A")
    article.refresh_from_db()
    assert article.view_count == 1
    client.get(article.get_public_url(), REMOTE_ADDR="10.0.0.2", HTTP_USER_AGENT="A")
    article.refresh_from_db()
    assert article.view_count == 2


def test_an_article_page_has_related_news_share_links_and_metadata(client, make_article):
    tag = NewsTag.objects.create(name="OCOP", slug="ocop")
    article = make_article(title="Sản phẩm OCOP Bình Liêu", summary="Tóm tắt cho máy tìm kiếm")
    article.tags.add(tag)
    other_category = NewsCategory.objects.create(name="Khác", slug="khac")
    related = make_article(title="Tin cùng thẻ", category=other_category)
    related.tags.add(tag)
    unrelated = make_article(title="Tin không liên quan", category=other_category)
    page = client.get(article.get_public_url()).content.decode()
    assert "Tin cùng thẻ" in page and unrelated.title not in page
    assert "facebook.com/sharer" in page and "sp.zalo.me" in page
    assert '<meta name="description" content="Tóm tắt cho máy tìm kiếm">' in page
    assert '<meta property="og:title" content="Sản phẩm OCOP Bình Liêu">' in page
    assert f'<link rel="canonical" href="http://testserver{article.get_public_url()}">' in page


def test_rss_and_atom_feeds_list_public_articles_only(client, make_article):
    make_article(title="Tin công khai")
    make_article(title="Bản nháp nội bộ", status=ArticleStatus.DRAFT)
    for name in ("portal:news_rss", "portal:news_atom"):
        feed = client.get(reverse(name)).content.decode()
        assert "Tin công khai" in feed and "Bản nháp nội bộ" not in feed


def test_the_sitemap_lists_public_articles_and_records_only(client, make_article):
    public = make_article()
    draft = make_article(status=ArticleStatus.DRAFT)
    sitemap = client.get(reverse("portal:sitemap")).content.decode()
    assert public.get_public_url() in sitemap and draft.slug not in sitemap


# --- Search ------------------------------------------------------------------------------------------


def _titles(client, **params):
    return client.get(reverse("portal:news_list"), params).content.decode()


def test_search_by_words_without_diacritics_category_and_date_range(client, make_article, category):
    other = NewsCategory.objects.create(name="Chỉ đạo, điều hành", slug="chi-dao")
    make_article(
        title="Làm việc với huyện Định Hóa", publish_at=timezone.make_aware(datetime.datetime(2023, 4, 27, 9))
    )
    make_article(
        title="Huyện Bình Liêu và Ba Chẽ", publish_at=timezone.make_aware(datetime.datetime(2023, 3, 14, 8))
    )
    make_article(
        title="Chủ tịch tỉnh làm việc",
        category=other,
        publish_at=timezone.make_aware(datetime.datetime(2023, 11, 30, 8)),
    )
    page = _titles(client, q="dinh hoa")
    assert "Định Hóa" in page and "Bình Liêu" not in page
    page = _titles(client, category="chi-dao")
    assert "Chủ tịch tỉnh" in page and "Định Hóa" not in page
    page = _titles(client, date_from="01/03/2023", date_to="31/03/2023")
    assert "Bình Liêu" in page and "Định Hóa" not in page and "Chủ tịch" not in page
    page = _titles(client, date_from="31/02/2023")
    assert 'role="alert"' in page and "Định Hóa" not in page


def test_category_pages_list_their_news(client, make_article, category):
    make_article(title="Tin của chuyên mục")
    assert "Tin của chuyên mục" in client.get(category.get_public_url()).content.decode()
    assert client.get(reverse("portal:news_category", args=["khong-co"])).status_code == 404


# --- Cache -------------------------------------------------------------------------------------------


def test_public_pages_are_cached_and_approving_an_article_refreshes_them(
    client, make_article, editor, approver
):
    first = client.get(reverse("portal:news_list"))
    assert first["X-Portal-Cache"] == "miss"
    assert client.get(reverse("portal:news_list"))["X-Portal-Cache"] == "hit"
    article = make_article(title="Tin vừa duyệt", status=ArticleStatus.REVIEW, author=editor)
    services.approve(article, approver)
    fresh = client.get(reverse("portal:news_list"))
    assert fresh["X-Portal-Cache"] == "miss" and "Tin vừa duyệt" in fresh.content.decode()


def test_signed_in_users_are_never_served_from_the_cache(client, editor):
    client.get(reverse("portal:news_list"))
    client.force_login(editor)
    response = client.get(reverse("portal:news_list"))
    assert "X-Portal-Cache" not in response


def test_the_news_list_has_a_fixed_number_of_queries(client, make_article, django_assert_max_num_queries):
    for _ in range(12):
        make_article()
    with django_assert_max_num_queries(12):
        client.get(reverse("portal:news_list"))


def test_a_rule_refusal_is_a_permission_error_of_its_own(make_article, editor):
    with pytest.raises(PermissionDenied):
        rules.require(rules.APPROVE_ARTICLE, editor, make_article(author=editor))
