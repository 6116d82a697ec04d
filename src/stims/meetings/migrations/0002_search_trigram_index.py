from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    # Session and directive lists search words anywhere in the folded text.
    operations = [trigram_index("meetings_workingsession"), trigram_index("meetings_directive")]
