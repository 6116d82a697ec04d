from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("inspections", "0002_seed_sectors_and_violation_types")]

    # The establishment list's search box and the global search match words anywhere in the folded text.
    operations = [trigram_index("inspections_establishment")]
