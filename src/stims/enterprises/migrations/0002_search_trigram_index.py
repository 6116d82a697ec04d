from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [trigram_index("enterprises_stenterprise"), trigram_index("enterprises_startup")]
