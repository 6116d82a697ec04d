from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("innovation", "0001_initial")]

    operations = [trigram_index("innovation_framework")]
