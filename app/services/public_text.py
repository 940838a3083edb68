"""The gate every public text passes before the outbox: length per channel, then proofreading."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

import canned_replies
from app.models import Brand
from app.services import content


class PublicTextError(ValueError):
    """The text cannot be published as it is; the message says what to fix."""


def check(
    *, brand: Brand, text: str, language: str | None, channel: str | None, override_reason: str = ""
) -> None:
    """Raise PublicTextError when the text is too long, or has findings and no override reason."""
    length = canned_replies.check_length(text, channel or "webhook")
    if not length.ok:
        raise PublicTextError(
            _l(
                "Trop long pour %(channel)s : %(count)s caractères sur %(limit)s.",
                channel=channel,
                count=length.count,
                limit=length.limit,
            )
        )
    if override_reason.strip():
        return
    findings = canned_replies.proofread(
        text, language or "fr", dictionary=content.brand_dictionary(brand)
    )
    if findings:
        listed = " ; ".join(f"« {text[f.start : f.end]} » : {f.message}" for f in findings[:3])
        raise PublicTextError(
            _l(
                "Relecture : %(n)s faute(s) à corriger avant publication — %(list)s",
                n=len(findings),
                list=listed,
            )
        )
