from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stims.accounts.models import ApiToken

from ._tokens import user_named


class Command(BaseCommand):
    help = (
        "Create an API token for a user (e.g. a service account) and print its key once. The key is alone "
        "on the last line of the output, so that a script can keep it: KEY=$(stims create_token svc | tail -n1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="The user the token acts as, with that user's roles and units.")
        parser.add_argument(
            "--name", default="command line", help="What the token is for (default: %(default)s)."
        )
        expiry = parser.add_mutually_exclusive_group()
        expiry.add_argument(
            "--days",
            type=int,
            default=ApiToken.DEFAULT_DAYS,
            help=f"Days until it expires, 1 to {ApiToken.MAX_DAYS} (default: %(default)s).",
        )
        expiry.add_argument(
            "--no-expiry", action="store_true", help="A key that never expires (revoke it yourself)."
        )
        parser.add_argument(
            "--by", metavar="USERNAME", help="The administrator recorded as having created it."
        )

    def handle(self, *args, username, name, days, no_expiry, by, **options):
        if not no_expiry and not 1 <= days <= ApiToken.MAX_DAYS:
            raise CommandError(f"--days must be between 1 and {ApiToken.MAX_DAYS}, not {days}.")
        if not name.strip():
            raise CommandError("--name cannot be empty.")
        user = user_named(username)
        created_by = user_named(by) if by else None
        token, key = ApiToken.issue(
            user,
            name=name.strip(),
            expires_at=ApiToken.expiry_after(None if no_expiry else days),
            created_by=created_by,
        )
        expiry = (
            f"expires {timezone.localtime(token.expires_at):%d/%m/%Y %H:%M}"
            if token.expires_at
            else "never expires"
        )
        self.stdout.write(f"Token {token.name!r} ({token.prefix}…) for {user.username}, {expiry}.")
        self.stdout.write("The key follows; it is shown only now and cannot be shown again.")
        self.stdout.write(key)
