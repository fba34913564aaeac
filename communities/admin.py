from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from communities.models import Group, Membership, Person, Post, Reply


@admin.register(Person)
class PersonAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Kring", {"fields": ("display_name", "job_title", "department", "location")}),
    )
    list_display = ("username", "display_name", "job_title", "department", "location", "is_staff")
    search_fields = ("username", "display_name", "email", "department", "location")


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("person",)
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    list_display = ("name", "privacy", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("__str__", "group", "created_at", "deleted_at")
    list_select_related = ("author", "group")
    raw_id_fields = ("author",)
    readonly_fields = (
        "group",
        "author",
        "body",
        "created_at",
        "deleted_at",
        "deleted_by",
        "removal_reason",
    )

    def has_add_permission(self, request) -> bool:
        # Posts are written through communities.actions, so they reach open pages.
        return False


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("__str__", "post", "created_at", "deleted_at")
    list_select_related = ("author", "post")
    readonly_fields = ("post", "author", "body", "created_at", "deleted_at")

    def has_add_permission(self, request) -> bool:
        return False
