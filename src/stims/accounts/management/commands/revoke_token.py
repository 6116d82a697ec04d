from django.core.management.base import BaseCommand, CommandError

from stims.accounts.models import ApiToken

from ._tokens import user_named


class Command(BaseCommand):
    help = (
        "Revoke the active API tokens whose key begins with PREFIX (the characters shown on the API tokens "
        "page), or the one token of a whole KEY. Refused when the prefix matches tokens of several users: "
        "name the user with --user."
    )

    def add_arguments(self, parser):
        parser.add_argument("prefix", metavar="PREFIX_OR_KEY")
        parser.add_argument("--user", metavar="USERNAME", help="Only that user's tokens.")
        parser.add_argument(
            "--by", metavar="USERNAME", help="The administrator recorded as having revoked them."
        )

    def handle(self, *args, prefix, user, by, **options):
        prefix = prefix.strip().rstrip("…")
        tokens = ApiToken.objects.usable().select_related("user")
        if len(prefix) > ApiToken.PREFIX_LENGTH:  # a whole key, e.g. one found in a leaked file
            tokens = tokens.filter(key_digest=ApiToken.digest(prefix))
        elif len(prefix) == ApiToken.PREFIX_LENGTH:
            tokens = tokens.filter(prefix=prefix)
        else:
            raise CommandError(
                f"A prefix has {ApiToken.PREFIX_LENGTH} characters; {prefix!r} has {len(prefix)}."
            )
        if user:
            tokens = tokens.filter(user=user_named(user, active=False))
        revoked_by = user_named(by) if by else None
        tokens = list(tokens)
        if not tokens:
            raise CommandError(f"No active token begins with {prefix[: ApiToken.PREFIX_LENGTH]!r}.")
        owners = sorted({t.user.username for t in tokens})
        if len(owners) > 1:
            # Two users' keys sharing a prefix is a one-in-billions chance, but revoking another
            # person's integration by mistake should still take a deliberate --user.
            raise CommandError(
                f"Tokens of several users begin with {prefix!r} ({', '.join(owners)}): add --user USERNAME."
            )
        for token in tokens:
            if token.revoke(by=revoked_by):
                self.stdout.write(f"Revoked {token.name!r} ({token.prefix}…) of {token.user.username}.")
