"""Case, Person and CaseAgency now live in the cases app: remove them from this app's state only.

The tables stay where they are (the cases app's models keep their db_table). Every other app's
foreign keys were pointed at the cases app first, so nothing refers to the old state when it goes.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('chronology', '0003_text_limits'),
        ('cases', '0001_initial'),
        ('audit', '0004_case_models_in_cases'),
        ('genogram', '0003_case_models_in_cases'),
        ('reporting', '0004_case_models_in_cases'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # State only: no table, column or constraint changes.
            state_operations=[
                migrations.AlterField(
                    model_name='chronologyentry',
                    name='case',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='entries', to='cases.case'),
                ),
                migrations.AlterField(
                    model_name='chronologyentry',
                    name='subjects',
                    field=models.ManyToManyField(blank=True, related_name='entries_about', to='cases.person'),
                ),
                migrations.AlterField(
                    model_name='chronologyentry',
                    name='present',
                    field=models.ManyToManyField(blank=True, related_name='entries_present', to='cases.person'),
                ),
                migrations.AlterField(
                    model_name='chronologyentry',
                    name='seen',
                    field=models.ManyToManyField(blank=True, related_name='entries_seen', to='cases.person'),
                ),
                migrations.AlterField(
                    model_name='chronologyentry',
                    name='seen_alone',
                    field=models.ManyToManyField(blank=True, related_name='entries_seen_alone', to='cases.person'),
                ),
                migrations.RemoveField(model_name='case', name='agencies'),
                migrations.DeleteModel(name='CaseAgency'),
                migrations.DeleteModel(name='Person'),
                migrations.DeleteModel(name='Case'),
            ],
            database_operations=[],
        ),
    ]
