from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("orgs", "0001_initial")]

    # Global search and the list pages' search box match words anywhere in the folded text.
    operations = [
        trigram_index("orgs_organization"),
        trigram_index("orgs_person"),
        trigram_index("orgs_localbody"),
    ]
