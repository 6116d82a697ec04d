"""Seed the default workflow (states, steps, document kinds) and the task types, S&T fields and the
rural-mountain programme. All are data an administrator may edit; this only adds what is missing.

Fields follow the six groups of the national classification of S&T fields (QĐ 12/2008/QĐ-BKHCN);
types follow the Law on S&T (đề tài, dự án SXTN, dự án KH&CN, đề án).
"""

from django.db import migrations

TASK_TYPES = [
    ("de-tai", "Đề tài", 10),
    ("du-an-sxtn", "Dự án sản xuất thử nghiệm", 20),
    ("du-an-khcn", "Dự án KH&CN", 30),
    ("de-an", "Đề án khoa học", 40),
    ("chuong-trinh-sttt", "Nhiệm vụ thuộc Chương trình phát triển tài sản trí tuệ", 50),
]

FIELDS = [
    ("tu-nhien", "Khoa học tự nhiên", 1),
    ("ky-thuat", "Khoa học kỹ thuật và công nghệ", 2),
    ("y-duoc", "Khoa học y, dược", 3),
    ("nong-nghiep", "Khoa học nông nghiệp", 4),
    ("xa-hoi", "Khoa học xã hội", 5),
    ("nhan-van", "Khoa học nhân văn", 6),
]

PROGRAMMES = [
    ("ntmn", "Chương trình hỗ trợ ứng dụng, chuyển giao tiến bộ KH&CN thúc đẩy phát triển kinh tế - xã hội nông thôn, "
             "miền núi, vùng dân tộc thiểu số", "QĐ 1747/QĐ-TTg"),
    ("sttt", "Chương trình phát triển tài sản trí tuệ", "QĐ 2205/QĐ-TTg"),
]


def seed(apps, schema_editor):
    from stims.sttasks.workflow import install_defaults

    install_defaults(
        apps.get_model("sttasks", "WorkflowState"), apps.get_model("sttasks", "WorkflowTransition"),
        apps.get_model("sttasks", "DocumentKind"),
    )
    TaskType = apps.get_model("sttasks", "TaskType")
    for code, name, order in TASK_TYPES:
        TaskType.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    ScienceField = apps.get_model("sttasks", "ScienceField")
    for code, name, order in FIELDS:
        ScienceField.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
    Programme = apps.get_model("sttasks", "Programme")
    for code, name, basis in PROGRAMMES:
        Programme.objects.get_or_create(code=code, defaults={"name": name, "legal_basis": basis})


class Migration(migrations.Migration):
    dependencies = [("sttasks", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
