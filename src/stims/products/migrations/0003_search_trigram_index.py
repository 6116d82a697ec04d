from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("products", "0002_seed_groups_and_star_bands")]

    # The product list's search box and the global search match words anywhere in the folded text.
    operations = [trigram_index("products_product")]
