"""Seed the acceptance rating scale and the default selection and acceptance criteria (only what is
missing; see `stims.councils.defaults`)."""

from django.db import migrations


def seed(apps, schema_editor):
    from stims.councils.defaults import install_defaults

    install_defaults(
        apps.get_model("councils", "RatingLevel"), apps.get_model("councils", "CriteriaSet"),
        apps.get_model("councils", "Criterion"),
    )


class Migration(migrations.Migration):
    dependencies = [("councils", "0002_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
