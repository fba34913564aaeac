import json

from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryValidator(OAuth2Validator):
    """The organisation's directory: each user's email (verified), name, and what the
    claims file holds for them (job title, department), under the profile scope."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "job_title": "profile",
        "department": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        directory = (
            json.loads(settings.CLAIMS_FILE.read_text()) if settings.CLAIMS_FILE.exists() else {}
        )
        return {
            "email": user.email,
            "email_verified": True,
            "preferred_username": user.username,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "name": user.get_full_name(),
            **directory.get(user.username, {}),
        }
