"""The tables ``communities`` made for notification preferences and emails, taken
over as they are (state only: no data moves)."""

import datetime

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

DELIVERY = [
    ("app", "In Kring only"),
    ("email", "In Kring and by email at once"),
    ("digest", "In Kring and in the digest"),
    ("off", "Off"),
]


def delivery(default, label):
    return models.CharField(choices=DELIVERY, default=default, max_length=10, verbose_name=label)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("communities", "0013_notices_move_to_their_app"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="NotificationPreferences",
                    fields=[
                        (
                            "person",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="notification_preferences",
                                serialize=False,
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        ("mention", delivery("email", "Someone mentions me")),
                        ("reply", delivery("digest", "Replies to my posts and to conversations I am in")),
                        ("reaction", delivery("digest", "Reactions to my posts")),
                        ("follower", delivery("digest", "New followers")),
                        ("group", delivery("digest", "Requests to join, decisions and invitations in groups")),
                        ("new_post", delivery("digest", "New posts in groups and #tags I asked to be told about")),
                        (
                            "digest_frequency",
                            models.CharField(
                                choices=[("daily", "Daily"), ("weekly", "Weekly"), ("never", "Never")],
                                default="weekly",
                                max_length=10,
                                verbose_name="Digest",
                            ),
                        ),
                        (
                            "quiet_from",
                            models.TimeField(
                                blank=True, default=datetime.time(22, 0), null=True, verbose_name="Quiet from"
                            ),
                        ),
                        (
                            "quiet_until",
                            models.TimeField(
                                blank=True, default=datetime.time(7, 0), null=True, verbose_name="Quiet until"
                            ),
                        ),
                        (
                            "language",
                            models.CharField(
                                blank=True,
                                choices=[("en", "English"), ("nl", "Dutch")],
                                max_length=10,
                                verbose_name="Language of emails",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "notification preferences",
                        "verbose_name_plural": "notification preferences",
                        "db_table": "communities_notificationpreferences",
                    },
                ),
                migrations.CreateModel(
                    name="EmailDelivery",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=120, unique=True)),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting"),
                                    ("sent", "Sent"),
                                    ("skipped", "Not needed"),
                                    ("failed", "Failed"),
                                ],
                                default="pending",
                                max_length=10,
                            ),
                        ),
                        ("attempts", models.PositiveIntegerField(default=0)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("sent_at", models.DateTimeField(blank=True, null=True)),
                        ("last_error", models.TextField(blank=True)),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "email",
                        "verbose_name_plural": "emails",
                        "ordering": ["-id"],
                        "db_table": "communities_emaildelivery",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
