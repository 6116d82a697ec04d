from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("ip", "0003_seed_types_and_statuses")]

    # Name search over the IP register (a million rows at provincial scale: bench/registries.py).
    operations = [trigram_index("ip_ipasset")]
