import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import caremarket.core.clock


class Migration(migrations.Migration):
    initial = True

    dependencies = [migrations.swappable_dependency(settings.AUTH_USER_MODEL)]

    operations = [
        migrations.CreateModel(
            name="ImportRun",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=40)),
                ("owner", models.CharField(help_text='"commissioner:<id>" or "provider:<id>"', max_length=40)),
                ("sha256", models.CharField(max_length=64)),
                ("filename", models.CharField(max_length=200)),
                ("stored_as", models.CharField(max_length=300)),
                ("options", models.JSONField(blank=True, default=dict)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Waiting to start"),
                            ("checking", "Checking every row"),
                            ("writing", "Saving"),
                            ("succeeded", "Imported"),
                            ("failed", "Not imported"),
                        ],
                        default="queued",
                        max_length=10,
                    ),
                ),
                ("rows_total", models.PositiveIntegerField(default=0)),
                ("rows_checked", models.PositiveIntegerField(default=0)),
                ("rows_written", models.PositiveIntegerField(default=0)),
                ("error_count", models.PositiveIntegerField(default=0)),
                ("errors", models.JSONField(blank=True, default=list)),
                ("created_at", models.DateTimeField(default=caremarket.core.clock.now)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["-created_at", "-pk"]},
        ),
        migrations.AddConstraint(
            model_name="importrun",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "failed"), _negated=True),
                fields=("kind", "owner", "sha256"),
                name="import_same_file_once",
            ),
        ),
    ]
