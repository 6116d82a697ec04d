from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0001_initial")]

    operations = [trigram_index("initiatives_initiative"), trigram_index("initiatives_councilround")]
