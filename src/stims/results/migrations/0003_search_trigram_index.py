from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("results", "0002_initial")]

    operations = [trigram_index("results_taskresult")]
