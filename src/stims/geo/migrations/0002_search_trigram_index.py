from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]

    # Global search and the unit picker match words anywhere in the folded name.
    operations = [trigram_index("geo_adminunit")]
