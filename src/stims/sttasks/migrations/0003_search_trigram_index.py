from django.db import migrations

from stims.core.db import trigram_index


class Migration(migrations.Migration):
    dependencies = [("sttasks", "0002_seed_workflow_and_reference_data")]

    # The task list's search box and the global search match words anywhere in the folded text.
    operations = [trigram_index("sttasks_task")]
