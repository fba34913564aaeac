from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy, ngettext

from communities import actions
from communities.models import Group, Membership, Person, Post, Reply


@admin.register(Person)
class PersonAdmin(UserAdmin):
    """Accounts. Saving goes through ``actions.save_account`` and the two list actions
    through ``deactivate_person`` / ``reactivate_person``, so that who may log in, use
    the admin site or coach is changed on the record (the audit trail)."""

    fieldsets = (
        *UserAdmin.fieldsets,
        ("Kring", {"fields": ("display_name", "job_title", "department", "location", "is_coach")}),
    )
    list_display = ("username", "display_name", "job_title", "department", "location", "is_staff")
    search_fields = ("username", "display_name", "email", "department", "location")
    actions = ["deactivate", "reactivate"]

    def save_model(self, request, obj, form, change):
        actions.save_account(request.user, obj)

    @admin.action(
        description=gettext_lazy("Deactivate the selected accounts"),
        permissions=["change"],
    )
    def deactivate(self, request, queryset):
        self._set_active(request, queryset, actions.deactivate_person)

    @admin.action(
        description=gettext_lazy("Reactivate the selected accounts"),
        permissions=["change"],
    )
    def reactivate(self, request, queryset):
        self._set_active(request, queryset, actions.reactivate_person)

    def _set_active(self, request, queryset, act):
        done = 0
        for person in queryset:
            try:
                act(request.user, person)
            except PermissionDenied as refusal:
                messages.error(request, f"{person.username}: {refusal}")
            else:
                done += 1
        if done:
            saved = ngettext("%(count)d account saved.", "%(count)d accounts saved.", done)
            messages.success(request, saved % {"count": done})


class MembershipInline(admin.TabularInline):
    model = Membership
    raw_id_fields = ("person",)
    extra = 0


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin):
    """Groups; saving goes through the actions, so privacy and membership changes made
    here reach the audit trail and open pages."""

    list_display = ("name", "privacy", "created_at")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [MembershipInline]

    def save_model(self, request, obj, form, change):
        actions.save_group(request.user, obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        for membership in formset.save(commit=False):
            actions.administer_membership(request.user, membership)
        for membership in formset.deleted_objects:
            actions.administer_membership(request.user, membership, delete=True)
        formset.save_m2m()


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
