from axes.utils import reset
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

User = get_user_model()


@admin.action(description=_("Unlock sign-in (forget failed password attempts)"))
def unlock_sign_in(modeladmin, request, queryset):
    cleared = sum(reset(username=user.get_username()) for user in queryset)
    modeladmin.message_user(
        request,
        ngettext(
            "Unlocked %(users)d user (%(attempts)d failed attempt records cleared).",
            "Unlocked %(users)d users (%(attempts)d failed attempt records cleared).",
            queryset.count(),
        )
        % {"users": queryset.count(), "attempts": cleared},
        messages.SUCCESS,
    )


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(auth_admin.UserAdmin):
    actions = [unlock_sign_in]
