from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [trigram_index("portal_newsarticle")]
