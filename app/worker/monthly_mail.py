"""The worker's monthly client reports: last month's PDF per brand, mailed to its owners.

The PDF is rendered with the app (templates, translations), so this job runs inside an
application context; the mail carries a link to the portal, where only the brand's owners can
open the report (no document travels by e-mail).
"""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, col, select

from app.models import Brand, User, utcnow
from app.notify.mail import Mail, deliver_mail, mailer_from_url
from app.services import monthly_reports, notifications
from app.services.monthly_reports import Month, MonthlyRun
from app.ui import monthly_report


def make_monthly_reports(app: Flask, today: date | None = None) -> MonthlyRun:
    """Make and mail last month's reports that are missing (safe with several workers)."""
    today = today or utcnow().date()
    settings = app.config["VIGIE_SETTINGS"]
    mailer = mailer_from_url(
        app.config.get("VIGIE_SMTP_URL"), settings.mail_from, demo=settings.demo_mode
    )
    with app.app_context(), app.test_request_context(base_url=settings.public_url):
        engine = app.extensions["vigie_engine"]
        with Session(engine, expire_on_commit=False) as session:

            def render(brand: Brand, month: Month) -> bytes:
                figures = monthly_reports.monthly_figures(session, brand, month, today)
                html = monthly_report.render_html(figures, for_pdf=True)
                return monthly_report.render_pdf(app, html)

            def send(brand: Brand, month: Month) -> int:
                owner_ids = notifications.users_with_role(
                    session=session, brand_id=brand.id or 0, role="brand_owner"
                )
                owners = session.exec(select(User).where(col(User.id).in_(owner_ids))).all()
                link = (
                    f"{settings.public_url.rstrip('/')}/portal/reports/{month.key}.pdf"
                    f"?brand={brand.id}"
                )
                with force_locale(monthly_reports.brand_language(brand)):
                    subject = _(
                        "Votre rapport mensuel %(brand)s — %(month)s",
                        brand=brand.name,
                        month=month.key,
                    )
                    body = _(
                        "Bonjour,\n\nLe rapport de %(month)s est prêt : volumes, autonomie de "
                        "l'agence, délais de réponse, validations, satisfaction.\n\n"
                        "Le télécharger (connexion au portail requise) : %(link)s\n\n"
                        "— %(agency)s",
                        month=month.key,
                        link=link,
                        agency=settings.agency_name,
                    )
                for owner in owners:
                    deliver_mail(
                        session=session,
                        mailer=mailer,
                        brand_id=brand.id or 0,
                        mail=Mail(to=owner.email, subject=subject, body=body),
                    )
                return len(owners)

            return monthly_reports.run_monthly(
                session, render_pdf=render, send_to_owners=send, today=today
            )
