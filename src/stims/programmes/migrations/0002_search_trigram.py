from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [
        trigram_index("programmes_plan"),
        trigram_index("programmes_legaldocument"),
        trigram_index("programmes_agreement"),
        trigram_index("programmes_activity"),
    ]
